"""Softmax output with cross-entropy (Kelleher Tables 15–16, eqs. 71–89; CV lecture §2.3)."""

from __future__ import annotations

import math
from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace


def identity_softmax(n: int) -> dict[str, Any]:
    """A softmax layer whose logits are its inputs."""
    eye = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    return {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [n]},
            {
                "id": "out",
                "kind": "dense",
                "units": n,
                "activation": "softmax",
                "weights": eye,
                "bias": [0.0] * n,
            },
        ]
    }


@pytest.fixture(scope="module")
def table_16() -> dict[str, Any]:
    return trace(
        {
            "network": E.table_16_network(),
            "inputs": E.table_16_inputs(),
            "targets": E.POWER_PLANT_ONEHOT,
            "loss": "cross_entropy",
            "learning_rate": E.SOFTMAX_LEARNING_RATE,
            "reduction": "sum",
        }
    )


def test_softmax_of_table_15_logits() -> None:
    result = trace(
        {
            "network": identity_softmax(3),
            "inputs": [E.TABLE_15_LOGITS],
            "targets": [[1, 0, 0]],
            "loss": "cross_entropy",
            "learning_rate": 0.1,
        }
    )
    out = result["layers"][0]
    assert out["z"][0] == pytest.approx(E.TABLE_15_LOGITS, abs=1e-15)
    assert [math.exp(z) for z in out["z"][0]] == pytest.approx(E.TABLE_15_EXP, abs=1e-7)
    assert sum(math.exp(z) for z in out["z"][0]) == pytest.approx(E.TABLE_15_SUM, abs=1e-7)
    assert out["a"][0] == pytest.approx(E.TABLE_15_SOFTMAX, abs=1e-8)
    assert sum(out["a"][0]) == pytest.approx(1.0, abs=1e-15)


def test_table_16_logits_are_reproduced(table_16: dict[str, Any]) -> None:
    E.assert_close(table_16["layers"][0]["z"], E.TABLE_16_LOGITS, 1e-12)


def test_table_16_softmax_outputs(table_16: dict[str, Any]) -> None:
    E.assert_close(table_16["outputs"], E.TABLE_16_SOFTMAX, E.SEED_TOL_4DP)


def test_delta_is_softmax_minus_the_one_hot_target(table_16: dict[str, Any]) -> None:
    out = table_16["layers"][0]
    for p, t, d in zip(out["a"], E.POWER_PLANT_ONEHOT, out["delta"], strict=True):
        assert d == pytest.approx([pi - ti for pi, ti in zip(p, t, strict=True)], abs=1e-15)
    E.assert_close(out["delta"], E.TABLE_16_DELTA, E.SEED_TOL_4DP)


def test_cross_entropy_is_minus_log_of_the_true_class_probability(
    table_16: dict[str, Any],
) -> None:
    assert table_16["per_example_loss"] == pytest.approx(E.CROSS_ENTROPY_PER_EXAMPLE, abs=1e-6)
    assert table_16["loss"] == pytest.approx(sum(E.CROSS_ENTROPY_PER_EXAMPLE), abs=4e-6)
    assert table_16["reduction"] == "sum"


def test_batch_gradient_of_w96_follows_eq_88(table_16: dict[str, Any]) -> None:
    grad = table_16["layers"][0]["grad_weights"][1][0]
    assert grad == pytest.approx(E.DELTA_W96_SEED, abs=E.DELTA_W96_TOL)
    assert grad == pytest.approx(
        sum(d[1] * a6 for d, a6 in zip(table_16["layers"][0]["delta"], E.TABLE_16_A6, strict=True)),
        abs=1e-15,
    )


def test_book_rounded_deltas_reproduce_eq_88_exactly() -> None:
    products = [d[1] * a6 for d, a6 in zip(E.TABLE_16_DELTA, E.TABLE_16_A6, strict=True)]
    assert sum(products) == pytest.approx(E.DELTA_W96_SEED, abs=1e-12)


def test_update_of_w96_with_alpha_0_01_follows_eq_89(table_16: dict[str, Any]) -> None:
    assert table_16["layers"][0]["weights_after"][1][0] == pytest.approx(
        E.W96_AFTER_SEED, abs=E.FULL_TOL
    )


def test_cross_entropy_gradient_is_prediction_minus_target() -> None:
    # Erratum (CV lecture L539–541): the slide's gradient x·(y_true − y_pred) has the wrong sign.
    result = trace(
        {
            "network": identity_softmax(3),
            "inputs": [E.CV_LOGITS],
            "targets": [E.CV_TARGET],
            "loss": "cross_entropy",
            "learning_rate": 0.1,
        }
    )
    out = result["layers"][0]
    assert out["a"][0] == pytest.approx(E.CV_SOFTMAX, abs=1e-6)
    assert result["loss"] == pytest.approx(E.CV_CROSS_ENTROPY, abs=1e-6)
    assert out["delta"][0] == pytest.approx(E.CV_DELTA, abs=1e-6)
    assert result["loss_after"] < result["loss"]


def test_linear_output_with_cross_entropy_treats_z_as_logits() -> None:
    net = identity_softmax(3)
    net["nodes"][1]["activation"] = "linear"
    result = trace(
        {
            "network": net,
            "inputs": [E.CV_LOGITS],
            "targets": [E.CV_TARGET],
            "loss": "cross_entropy",
            "learning_rate": 0.1,
        }
    )
    assert result["outputs"][0] == pytest.approx(E.CV_SOFTMAX, abs=1e-6)
    assert result["layers"][0]["delta"][0] == pytest.approx(E.CV_DELTA, abs=1e-6)


def test_default_cross_entropy_reduction_is_the_training_mean() -> None:
    result = trace(
        {
            "network": E.table_16_network(),
            "inputs": E.table_16_inputs(),
            "targets": E.POWER_PLANT_ONEHOT,
            "loss": "cross_entropy",
            "learning_rate": E.SOFTMAX_LEARNING_RATE,
        }
    )
    assert result["reduction"] == "mean"
    assert result["layers"][0]["grad_weights"][1][0] == pytest.approx(
        E.DELTA_W96_SEED / 4, abs=E.DELTA_W96_TOL / 4
    )
