"""Whole training runs the lectures report: gates, XOR, and epochs to convergence."""

from __future__ import annotations

import itertools

import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset


def trained(preset_id: str) -> Trainer:
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.train()
    return trainer


@pytest.mark.parametrize("gate", ["and", "or"])
def test_one_threshold_neuron_learns_and_and_or(gate: str) -> None:
    trainer = trained(f"perceptron-{gate}")
    assert trainer.metrics[-1]["accuracy"] == 1.0
    assert trainer.epoch <= 10


def test_one_threshold_neuron_never_learns_xor() -> None:
    trainer = trained("perceptron-xor")
    assert trainer.epoch == 100
    assert max(row["accuracy"] for row in trainer.metrics) <= 0.75


def test_a_2_2_1_network_learns_xor() -> None:
    trainer = trained("xor-2-2-1")
    assert trainer.metrics[-1]["accuracy"] == 1.0
    assert trainer.metrics[-1]["loss"] < 0.01


def test_logistic_power_plant_converges_in_about_7656_epochs() -> None:
    trainer = trained("kelleher-power-plant-logistic")
    assert trainer.metrics[-1]["loss"] < 1e-4
    assert 7000 <= trainer.epoch <= 8000


def test_relu_power_plant_converges_more_than_10_times_faster() -> None:
    relu = trained("kelleher-power-plant-relu")
    assert relu.metrics[-1]["loss"] < 1e-4
    assert 400 <= relu.epoch <= 550
    assert relu.epoch * 10 < 7000


def test_halving_alpha_for_the_relu_net_converges_smoothly_in_about_412_epochs() -> None:
    fast, smooth = (
        trained("kelleher-power-plant-relu"),
        trained("kelleher-power-plant-relu-alpha-0.1"),
    )
    assert 400 <= smooth.epoch <= 430
    assert smooth.epoch < fast.epoch
    losses = [row["loss"] for row in smooth.metrics]
    assert all(b <= a for a, b in itertools.pairwise(losses))
    fast_losses = [row["loss"] for row in fast.metrics]
    assert any(b > a for a, b in itertools.pairwise(fast_losses))
