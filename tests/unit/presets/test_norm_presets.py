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
def dropconnect_runs() -> dict[float, list[dict[str, Any]]]:
    runs = {}
    for p in (0.5, 0.0):
        spec = get_preset("dropconnect-overfit")["spec"]
        for node in spec["network"]["nodes"]:
            if "drop_connect" in node:
                node["drop_connect"] = p
        runs[p] = _losses(spec, 50)
    return runs


def test_without_dropconnect_the_network_learns_the_noise(
    dropconnect_runs: dict[float, list[dict[str, Any]]],
) -> None:
    last = dropconnect_runs[0.0][-1]
    assert last["loss"] < 0.05
    assert last["val_loss"] > 1.5


def test_with_dropconnect_the_validation_loss_stays_below_one(
    dropconnect_runs: dict[float, list[dict[str, Any]]],
) -> None:
    assert dropconnect_runs[0.5][-1]["val_loss"] < 1.0
