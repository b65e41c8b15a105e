"""One over-fitting network and its remedies: each preset does what its text says, to the epoch.

The five presets share the network (2-64-64-1 ReLU), the data (40 noisy moons points to train on,
60 to validate) and the optimiser; each adds one remedy: dropout, early stopping, L1 or L2.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset

FAMILY = (
    "overfit-moons",
    "overfit-moons-dropout",
    "overfit-moons-early-stopping",
    "overfit-moons-l1",
    "overfit-moons-l2",
)
# "Near zero" for the L1/L2 comparison: plain gradient descent on λ|w| does not land a weight on 0
# but hops across it by η·λ (1.5e-4 here) each step, so a weight the penalty has removed sits in
# the log₁₀|w| histogram's bins below 10⁻³.
NEAR_ZERO = 1e-3


@cache
def trained(preset_id: str) -> Trainer:
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.train()
    assert trainer.status == "finished", trainer.stop_reason
    return trainer


def weights(trainer: Trainer) -> dict[str, np.ndarray]:
    """Each dense layer's W, by layer id (copies: on a CPU the state dict shares the live
    parameters' memory)."""
    return {
        k.removeprefix("blocks.").removesuffix(".weight"): v.numpy().copy()
        for k, v in trainer.export_state_dict().items()
        if k.endswith(".weight")
    }


def final_gap(trainer: Trainer) -> float:
    last: dict[str, Any] = trainer.metrics[-1]
    return float(last["val_loss"] - last["loss"])


def without_remedy(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with dropout nodes, regularisation and stop rules taken out."""
    spec = dict(spec)
    spec["network"] = {"nodes": [n for n in spec["network"]["nodes"] if n["kind"] != "dropout"]}
    training = dict(spec["training"])
    training.pop("regularization", None)
    training["stop"] = {}
    spec["training"] = training
    return spec


def test_the_remedy_presets_are_the_over_fitting_preset_plus_one_remedy_each() -> None:
    base = get_preset("overfit-moons")["spec"]
    assert without_remedy(base) == base
    for preset_id in FAMILY[1:]:
        assert without_remedy(get_preset(preset_id)["spec"]) == base, preset_id


def test_the_plain_network_over_fits() -> None:
    rows = trained("overfit-moons").metrics
    assert len(rows) == 1500
    best = min(range(len(rows)), key=lambda i: rows[i]["val_loss"])
    assert rows[-1]["loss"] < 0.05
    # the validation loss turned early and ended far above its minimum
    assert best < 100
    assert rows[-1]["val_loss"] > 2 * rows[best]["val_loss"]


def test_dropout_ends_with_a_smaller_gap_between_training_and_validation_loss() -> None:
    plain, dropout = trained("overfit-moons"), trained("overfit-moons-dropout")
    assert len(dropout.metrics) == len(plain.metrics) == 1500
    assert final_gap(dropout) < 0.5 * final_gap(plain), (final_gap(dropout), final_gap(plain))
    assert dropout.metrics[-1]["val_loss"] < plain.metrics[-1]["val_loss"]


def test_early_stopping_stops_long_before_the_epochs_and_restores_the_best_epochs_weights() -> None:
    spec = get_preset("overfit-moons-early-stopping")["spec"]
    stop = spec["training"]["stop"]["early_stopping"]
    assert stop["restore_best"] and stop["monitor"] == "val_loss"
    trainer = Trainer(spec)
    after_epoch: dict[int, dict[str, np.ndarray]] = {}
    while not trainer.done:
        trainer.run_epoch()
        after_epoch[trainer.epoch] = weights(trainer)
    rows = trainer.metrics
    val = [row["val_loss"] for row in rows]
    best = int(np.argmin(val)) + 1
    assert trainer.status == "finished"
    assert trainer.epoch == best + stop["patience"] < spec["training"]["epochs"]
    assert trainer.best_epoch == best
    assert f"restored epoch {best}" in (trainer.stop_reason or "")
    # training went on for `patience` epochs, then the weights went back to the best epoch's
    final = weights(trainer)
    assert final.keys() == after_epoch[best].keys()
    for layer, w in final.items():
        assert np.array_equal(w, after_epoch[best][layer]), layer
        assert not np.array_equal(w, after_epoch[trainer.epoch - 1][layer]), layer
    # and they give the best epoch's recorded validation loss
    restored = trainer.path.evaluate(trainer.x_val, trainer.y_val)[0]
    assert float(restored) == pytest.approx(val[best - 1], rel=1e-12)


def share_near_zero(values: np.ndarray) -> float:
    return float(np.mean(np.abs(values) < NEAR_ZERO))


def test_l1_leaves_most_weights_at_zero_and_l2_almost_none() -> None:
    l1 = np.concatenate([w.ravel() for w in weights(trained("overfit-moons-l1")).values()])
    l2 = np.concatenate([w.ravel() for w in weights(trained("overfit-moons-l2")).values()])
    assert share_near_zero(l1) > 0.5, share_near_zero(l1)
    assert share_near_zero(l2) < 0.02, share_near_zero(l2)
    # L2 shrinks weights all the same: its largest weight is below the plain network's
    plain = np.concatenate([w.ravel() for w in weights(trained("overfit-moons")).values()])
    assert np.abs(l2).max() < np.abs(plain).max()


def test_the_weight_histograms_show_l1s_pile_below_a_thousandth_and_l2s_absence() -> None:
    """What the Internals view draws: the log₁₀|W| histogram of h2 (a sample of 1,024 of its
    4,096 weights), counted in the bins below 10⁻³."""

    def share_below(preset_id: str) -> float:
        frame = trained(preset_id).snapshot(channels=["layers"])
        h2 = next(layer for layer in frame["layers"] if layer["id"] == "h2")
        loghist = h2["W"]["loghist"]
        width = (loghist["hi"] - loghist["lo"]) / len(loghist["counts"])
        below = round((np.log10(NEAR_ZERO) - loghist["lo"]) / width)
        counts = loghist["counts"]
        return (sum(counts[:below]) + loghist["zeros"]) / (sum(counts) + loghist["zeros"])

    assert share_below("overfit-moons-l1") > 0.5
    assert share_below("overfit-moons-l2") < 0.02
