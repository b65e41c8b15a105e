"""The vanishing-gradient presets show what their texts say, measured in the Trainer's frames:
δ fading layer by layer in deep plain networks, residual shortcuts carrying it back to layer 1,
and zero initialisation keeping every hidden unit of a layer identical."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset


def delta_rms(preset_id: str, steps: int = 5) -> dict[str, float]:
    """RMS δ of every dense layer in the frame after `steps` training steps."""
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.step(steps, capture=True)
    assert trainer.step_count == steps and not trainer.done
    layers = trainer.snapshot(channels=["layers"])["layers"]
    return {layer["id"]: layer["delta"]["stats"]["rms"] for layer in layers}


def test_plain_and_residual_presets_share_every_layer_and_differ_only_in_the_shortcuts() -> None:
    plain = get_preset("deep-plain-network")["spec"]
    residual = get_preset("deep-residual-network")["spec"]
    dense = [n for n in residual["network"]["nodes"] if n["kind"] != "add"]
    assert dense == plain["network"]["nodes"]
    adds = [n for n in residual["network"]["nodes"] if n["kind"] == "add"]
    assert len(adds) == 11
    assert {k: v for k, v in plain.items() if k != "network"} == {
        k: v for k, v in residual.items() if k != "network"
    }


def test_residual_shortcuts_bring_delta_at_layer_1_orders_of_magnitude_above_the_plain_net() -> (
    None
):
    plain = delta_rms("deep-plain-network")
    residual = delta_rms("deep-residual-network")
    # "tens of millions of times the plain network's"
    assert residual["h1"] > 1e7 * plain["h1"], (residual["h1"], plain["h1"])
    # "of the same order as at h12"
    assert 0.5 < residual["h1"] / residual["h12"] < 2
    # the plain chain loses "tens of millions" on the way from h12 back to h1
    assert plain["h1"] < 1e-7 * plain["h12"]


def test_the_residual_network_learns_the_circle_where_the_plain_one_stays_near_chance() -> None:
    runs = {}
    for preset_id in ("deep-plain-network", "deep-residual-network"):
        trainer = Trainer(get_preset(preset_id)["spec"])
        trainer.train()
        assert trainer.status == "finished" and trainer.epoch == 100
        runs[preset_id] = trainer.metrics[-1]
    plain, residual = runs["deep-plain-network"], runs["deep-residual-network"]
    assert residual["accuracy"] >= 0.95 and residual["val_accuracy"] >= 0.9, residual
    assert plain["accuracy"] <= 0.6 and plain["val_accuracy"] <= 0.6, plain
    assert plain["loss"] > 0.65  # ln 2 = 0.693 is a coin toss's loss


@pytest.mark.parametrize("preset_id", ["deep-plain-network", "vanishing-sigmoid-delta"])
def test_delta_shrinks_at_every_layer_toward_the_input_in_a_deep_plain_net(
    preset_id: str,
) -> None:
    rms = delta_rms(preset_id)
    hidden = [rms[f"h{i}"] for i in range(1, 100) if f"h{i}" in rms]
    assert len(hidden) >= 10
    for earlier, later in itertools.pairwise(hidden):
        assert earlier < later, hidden
    assert hidden[0] < 1e-3 * hidden[-1], hidden


def test_zero_initialisation_keeps_every_hidden_unit_identical_while_it_trains() -> None:
    trainer = Trainer(get_preset("zero-init-symmetry")["spec"])
    trainer.train()
    assert trainer.status == "finished" and trainer.epoch == 100
    # one unit per layer in effect: no closed boundary around the circle
    assert trainer.metrics[-1]["val_accuracy"] < 0.7
    state = {k.removeprefix("blocks."): v.numpy() for k, v in trainer.export_state_dict().items()}
    for layer in ("h1", "h2"):
        weights, bias = state[f"{layer}.weight"], state[f"{layer}.bias"]
        # training moved them away from 0 ...
        assert np.abs(weights).max() > 1e-3 and np.abs(bias).max() > 1e-3, layer
        # ... but every unit (a row of W and its bias) is still a copy of the first
        assert (weights == weights[0]).all(), (layer, weights)
        assert (bias == bias[0]).all(), (layer, bias)
    # and every unit's outgoing weights are equal too, so no unit can ever differ from another
    for layer, previous in (("h2", "h1"), ("y", "h2")):
        weights = state[f"{layer}.weight"]
        assert (weights == weights[:, :1]).all(), (layer, previous, weights)
