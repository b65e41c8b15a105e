"""The batch-norm and DropConnect presets show what their descriptions say."""

from __future__ import annotations

from typing import Any

import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset


def _delta_rms(preset_id: str) -> dict[str, float]:
    """Each weighted layer's δ RMS at the first step."""
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.step(1, capture=True)
    return {layer["id"]: layer["delta"]["stats"]["rms"] for layer in trainer.snapshot()["layers"]}


def _losses(spec: dict[str, Any], epochs: int) -> list[dict[str, Any]]:
    trainer = Trainer(spec)
    trainer.step(epochs * trainer.n_train // trainer.batch_size)
    return trainer.metrics


def test_without_batch_norm_the_first_layers_delta_is_thousands_of_times_the_outputs_smaller() -> (
    None
):
    rms = _delta_rms("batchnorm-deep-sigmoid-off")
    assert rms["h1"] < 1e-3 * rms["y"]
    assert "1/5 000" in get_preset("batchnorm-deep-sigmoid-off")["description"]


def test_with_batch_norm_the_first_layers_delta_stays_within_an_order_of_magnitude() -> None:
    rms = _delta_rms("batchnorm-deep-sigmoid-on")
    assert rms["z1"] > 0.1 * rms["y"]


def test_batch_norm_trains_the_deep_sigmoid_network_the_plain_one_cannot_yet() -> None:
    plain = _losses(get_preset("batchnorm-deep-sigmoid-off")["spec"], 10)
    normed = _losses(get_preset("batchnorm-deep-sigmoid-on")["spec"], 10)
    assert len(plain) == len(normed) == 10
    assert plain[-1]["loss"] > 0.69
    assert normed[-1]["loss"] < 0.5


def test_the_pair_differs_only_in_the_batch_norm_blocks() -> None:
    off = get_preset("batchnorm-deep-sigmoid-off")["spec"]
    on = get_preset("batchnorm-deep-sigmoid-on")["spec"]
    assert off["data"] == on["data"] and off["training"] == on["training"]
    kinds = [n["kind"] for n in on["network"]["nodes"]]
    assert kinds == ["input", *["dense", "batchnorm", "activation"] * 6, "dense"]


@pytest.fixture(scope="module")
def dropconnect_gaps() -> dict[float, float]:
    """Validation minus training loss after 100 epochs, with DropConnect and without."""
    gaps = {}
    for p in (0.5, 0.0):
        spec = get_preset("dropconnect-overfit")["spec"]
        for node in spec["network"]["nodes"]:
            if "drop_connect" in node:
                node["drop_connect"] = p
        last = _losses(spec, 100)[-1]
        gaps[p] = last["val_loss"] - last["loss"]
    return gaps


def test_dropconnect_keeps_the_validation_gap_under_a_quarter_of_the_plain_networks(
    dropconnect_gaps: dict[float, float],
) -> None:
    assert dropconnect_gaps[0.0] > 0.2  # the plain network over-fits
    assert dropconnect_gaps[0.5] < 0.25 * dropconnect_gaps[0.0]
    assert "under a quarter" in get_preset("dropconnect-overfit")["description"]


def test_dropconnect_is_the_over_fitting_network_with_drop_connect_on_its_hidden_layers() -> None:
    nodes = get_preset("dropconnect-overfit")["spec"]["network"]["nodes"]
    assert [(n["kind"], n.get("units"), n.get("drop_connect")) for n in nodes] == [
        ("input", None, None),
        ("dense", 64, 0.5),
        ("dense", 64, 0.5),
        ("dense", 1, None),
    ]
