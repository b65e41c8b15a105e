"""AND, OR and XOR (Kelleher Figures 8–9, eq. 12; CV lecture §2.4)."""

from __future__ import annotations

import itertools
from typing import Any

import expected as E

from glassnet.engine import Trainer
from glassnet.engine.trace import trace, trace_spec
from glassnet.presets import get_preset


def test_hand_set_threshold_network_computes_xor() -> None:
    result = trace(
        {
            "network": E.XOR_THRESHOLD_NETWORK,
            "inputs": E.GATE_INPUTS,
            "targets": E.XOR_TARGETS,
            "loss": "half_sse",
            "learning_rate": 0.1,
        }
    )
    assert result["outputs"] == E.XOR_TARGETS
    assert result["loss"] == 0.0


def test_threshold_network_hidden_layer_is_or_and_and() -> None:
    result = trace(
        {
            "network": E.XOR_THRESHOLD_NETWORK,
            "inputs": E.GATE_INPUTS,
            "targets": E.XOR_TARGETS,
            "loss": "half_sse",
            "learning_rate": 0.1,
        }
    )
    hidden = result["layers"][0]["a"]
    assert [row[0] for row in hidden] == [t[0] for t in E.OR_TARGETS]
    assert [row[1] for row in hidden] == [t[0] for t in E.AND_TARGETS]


def test_step_activations_pass_no_gradient() -> None:
    result = trace(
        {
            "network": E.XOR_THRESHOLD_NETWORK,
            "inputs": E.GATE_INPUTS,
            "targets": E.AND_TARGETS,
            "loss": "half_sse",
            "learning_rate": 0.1,
        }
    )
    assert all(v == 0.0 for layer in result["layers"] for row in layer["delta"] for v in row)


def test_no_single_threshold_unit_separates_xor() -> None:
    grid = [i / 2 for i in range(-2, 3)]
    best = 0
    for w1, w2, b in itertools.product(grid, grid, grid):
        network = {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {
                    "id": "y",
                    "kind": "dense",
                    "units": 1,
                    "activation": {"kind": "step", "threshold": 0.0},
                    "weights": [[w1, w2]],
                    "bias": [b],
                },
            ]
        }
        outputs = trace(
            {
                "network": network,
                "inputs": E.GATE_INPUTS,
                "targets": E.XOR_TARGETS,
                "loss": "half_sse",
                "learning_rate": 0.1,
            }
        )["outputs"]
        best = max(best, sum(o == t for o, t in zip(outputs, E.XOR_TARGETS, strict=True)))
    assert best == 3


def _perceptron_spec(preset_id: str, batch_size: int | None) -> dict[str, Any]:
    spec = get_preset(preset_id)["spec"]
    spec["training"]["batch_size"] = batch_size
    return spec


def test_perceptron_trace_is_rosenblatts_rule_on_xor() -> None:
    # zero weights, θ = 0: every row fires (o = 1), so w += η Σ (t − o) x = 0.1·(−(1, 1)), b −= 0.2
    result = trace_spec(get_preset("perceptron-xor")["spec"])
    layer = result["layers"][-1]
    assert result["rule"] == "perceptron"
    assert [row[0] for row in layer["delta"]] == [1.0, 0.0, 0.0, 1.0]  # o − t
    assert layer["weights_after"] == [[-0.1, -0.1]]
    assert layer["bias_after"] == [-0.2]


def test_perceptron_trace_equals_one_full_batch_step_of_the_trainer() -> None:
    for preset_id in ("perceptron-and", "perceptron-or", "perceptron-xor"):
        spec = _perceptron_spec(preset_id, None)
        layer = trace_spec(spec)["layers"][-1]
        trainer = Trainer(spec)
        trainer.step(1)
        unit = trainer.model.layers[0]
        assert unit.weight.detach().tolist() == layer["weights_after"], preset_id
        assert unit.bias.detach().tolist() == layer["bias_after"], preset_id
