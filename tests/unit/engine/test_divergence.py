"""Divergence diagnosis: which layer went non-finite first, and why."""

from __future__ import annotations

import math

import torch
from engine_specs import dense_spec

from glassnet.engine import Trainer
from glassnet.engine.divergence import diagnose


def test_non_finite_weights_are_blamed_on_the_first_such_layer() -> None:
    trainer = Trainer(dense_spec([3, 3, 1]))
    trainer.step()
    with torch.no_grad():
        trainer.model.layers[1].weight[0, 0] = math.inf
    d = diagnose(trainer, math.nan)
    assert (d["layer"], d["quantity"]) == ("d1", "weights")
    assert "NaN" in d["message"] and "'d1'" in d["message"]


def test_gradients_growing_toward_the_input_are_called_exploding() -> None:
    trainer = Trainer(dense_spec([3, 3, 1]))
    trainer.step()
    for layer, scale in zip(trainer.model.layers, (1e3, 10.0, 1.0), strict=True):
        layer.weight.grad = torch.full_like(layer.weight, scale)
    d = diagnose(trainer, math.inf)
    assert d["cause"] == "exploding_gradients"
    assert "infinite" in d["message"]
    assert d["grad_norms"][0] > d["grad_norms"][-1]


def test_otherwise_the_learning_rate_is_blamed() -> None:
    trainer = Trainer(dense_spec([3, 3, 1]))
    trainer.step()
    d = diagnose(trainer, math.inf)
    assert d["cause"] == "learning_rate_too_high"
    assert "learning rate" in d["message"] and "clip" in d["message"]
