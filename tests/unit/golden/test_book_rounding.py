"""Book rounding: a, ∂a/∂z and δ rounded to 4 decimals before reuse reproduce the printed tables."""

from __future__ import annotations

from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace

EXACT = 1e-12
PRINTED_8DP = 1e-8  # the book prints this SSE to 8 decimals (0.583368295 shows as 0.58336829)
PRINTED_9DP = 1e-9
NEURONS = [("h1", 0), ("h1", 1), ("h1", 2), ("h2", 0), ("h2", 1), ("y", 0)]


def book(activation: str, inputs: Any = None, targets: Any = None) -> dict[str, Any]:
    return trace(
        {
            "network": E.power_plant_network(activation),
            "inputs": inputs or E.POWER_PLANT_INPUTS,
            "targets": targets or E.POWER_PLANT_TARGETS,
            "loss": "half_sse",
            "learning_rate": E.LEARNING_RATE,
            "round_to": 4,
        }
    )


def layer(result: dict[str, Any], layer_id: str) -> dict[str, Any]:
    return next(entry for entry in result["layers"] if entry["id"] == layer_id)


def d2(result: dict[str, Any], key: str) -> list[float]:
    return [layer(result, lid)[key][1][row] for lid, row in NEURONS]


def test_logistic_forward_pass_and_sse_are_table_4_and_5_exactly() -> None:
    result = book("sigmoid")
    assert [row[0] for row in result["outputs"]] == pytest.approx(
        E.LOGISTIC_PREDICTIONS_SEED, abs=EXACT
    )
    assert result["loss"] == pytest.approx(E.LOGISTIC_SSE_SEED, abs=EXACT)
    assert d2(result, "z") == pytest.approx(E.LOGISTIC_D2_SEED["z"], abs=5e-7)
    assert d2(result, "a") == pytest.approx(E.LOGISTIC_D2_SEED["a"], abs=EXACT)
    assert d2(result, "da_dz") == pytest.approx(E.LOGISTIC_D2_SEED["da_dz"], abs=EXACT)
    assert d2(result, "delta") == pytest.approx(E.LOGISTIC_D2_SEED["delta"], abs=EXACT)
    assert result["round_to"] == 4


def test_logistic_gradients_are_table_6_exactly() -> None:
    single = book("sigmoid", [E.POWER_PLANT_INPUTS[1]], [E.POWER_PLANT_TARGETS[1]])
    for name, value in E.LOGISTIC_D2_GRADS_SEED.items():
        lid, row, col, _ = E.LOGISTIC_D2_GRADS_FULL[name]
        entry = layer(single, lid)
        got = entry["grad_bias"][row] if col == "bias" else entry["grad_weights"][row][col]
        assert got == pytest.approx(value, abs=EXACT), name
    assert layer(single, "h2")["weights_after"][1][2] == pytest.approx(
        E.W75_AFTER_D2_SEED, abs=EXACT
    )


def test_logistic_batch_update_is_table_7_and_eq_45_exactly() -> None:
    h2 = layer(book("sigmoid"), "h2")
    per_example = [g[1][2] for g in h2["grad_weights_per_example"]]
    assert per_example == pytest.approx(E.W75_PER_EXAMPLE_SEED, abs=EXACT)
    assert h2["grad_weights"][1][2] == pytest.approx(E.DELTA_W75_SEED, abs=EXACT)
    assert h2["weights_after"][1][2] == pytest.approx(E.W75_AFTER_BATCH_SEED, abs=EXACT)


def test_logistic_predictions_after_one_update_are_table_8() -> None:
    result = book("sigmoid")
    assert [row[0] for row in result["outputs_after"]] == pytest.approx(
        E.LOGISTIC_PREDICTIONS_AFTER_SEED, abs=EXACT
    )
    assert result["loss_after"] == pytest.approx(E.LOGISTIC_SSE_AFTER_SEED, abs=EXACT)


def test_relu_tables_11_and_12_and_eq_50_exactly() -> None:
    result = book("relu")
    assert [row[0] for row in result["outputs"]] == pytest.approx(
        E.RELU_PREDICTIONS_SEED, abs=EXACT
    )
    assert result["loss"] == pytest.approx(E.RELU_SSE_SEED, abs=PRINTED_8DP)
    assert d2(result, "z") == pytest.approx(E.RELU_D2_Z_SEED, abs=5e-7)
    assert d2(result, "delta") == pytest.approx(E.RELU_D2_DELTA_SEED, abs=EXACT)


def test_softmax_table_16_and_eq_88_exactly() -> None:
    result = trace(
        {
            "network": E.table_16_network(),
            "inputs": E.table_16_inputs(),
            "targets": E.POWER_PLANT_ONEHOT,
            "loss": "cross_entropy",
            "learning_rate": E.SOFTMAX_LEARNING_RATE,
            "reduction": "sum",
            "round_to": 4,
        }
    )
    out = result["layers"][0]
    E.assert_close(out["a"], E.TABLE_16_SOFTMAX, EXACT)
    E.assert_close(out["delta"], E.TABLE_16_DELTA, EXACT)
    assert out["grad_weights"][1][0] == pytest.approx(E.DELTA_W96_SEED, abs=EXACT)
    assert out["weights_after"][1][0] == pytest.approx(E.W96_AFTER_SEED, abs=PRINTED_9DP)
