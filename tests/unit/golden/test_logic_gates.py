"""AND, OR and XOR (Kelleher Figures 8–9, eq. 12; CV lecture §2.4)."""

from __future__ import annotations

import itertools

import expected as E

from glassnet.engine.trace import trace


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
