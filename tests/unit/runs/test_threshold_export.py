"""The exported source rebuilds step and sign units (one Threshold module, 0 or −1 below θ) that
answer as the engine's trained perceptron does."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from glassnet.engine import Trainer
from glassnet.runs.export import pytorch_source, rebuild

CORNERS = torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)


def _and_perceptron(activation: str) -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "o", "kind": "dense", "units": 1, "activation": activation},
            ]
        },
        "data": {"dataset": "and"},
        "training": {
            "trainer": "perceptron",
            "optimizer": {"kind": "sgd", "lr": 0.1},
            "epochs": 100,
        },
        "dtype": "float64",
    }


@pytest.mark.parametrize(
    ("activation", "answers", "module"),
    [
        ("step", [0, 0, 0, 1], "Threshold(0.0, below=0.0)"),
        ("sign", [-1, -1, -1, 1], "Threshold(0.0, below=-1.0)"),
    ],
)
def test_an_exported_threshold_unit_answers_as_the_trained_perceptron(
    activation: str, answers: list[int], module: str
) -> None:
    spec = _and_perceptron(activation)
    trainer = Trainer(spec)
    trainer.train()
    arrays = {k: v.numpy() for k, v in trainer.export_state_dict().items()}
    with torch.no_grad():
        out = rebuild(spec, arrays)(CORNERS)
    assert out[:, 0].tolist() == answers
    assert module in pytorch_source(spec, "r1")
