"""Kelleher's power-plant 2-3-2-1 logistic network, first iteration (Tables 4–8, eqs. 37–45)."""

from __future__ import annotations

from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace

NEURONS = [("h1", 0), ("h1", 1), ("h1", 2), ("h2", 0), ("h2", 1), ("y", 0)]  # neurons 3..8


def _trace(inputs: list[list[float]], targets: list[list[float]]) -> dict[str, Any]:
    return trace(
        {
            "network": E.power_plant_network("sigmoid"),
            "inputs": inputs,
            "targets": targets,
            "loss": "half_sse",
            "learning_rate": E.LEARNING_RATE,
        }
    )


@pytest.fixture(scope="module")
def batch() -> dict[str, Any]:
    return _trace(E.POWER_PLANT_INPUTS, E.POWER_PLANT_TARGETS)


def layer(result: dict[str, Any], layer_id: str) -> dict[str, Any]:
    return next(entry for entry in result["layers"] if entry["id"] == layer_id)


def d2_values(result: dict[str, Any], key: str) -> list[float]:
    return [layer(result, lid)[key][1][row] for lid, row in NEURONS]


def gradient(result: dict[str, Any], name: str, table: dict[str, Any]) -> float:
    lid, row, col, _ = table[name]
    entry = layer(result, lid)
    return entry["grad_bias"][row] if col == "bias" else entry["grad_weights"][row][col]


def test_first_forward_pass_predicts_table_4(batch: dict[str, Any]) -> None:
    predictions = [row[0] for row in batch["outputs"]]
    assert predictions == pytest.approx(E.LOGISTIC_PREDICTIONS_FULL, abs=E.FULL_TOL)
    assert predictions == pytest.approx(E.LOGISTIC_PREDICTIONS_SEED, abs=E.SEED_TOL_4DP)


def test_sse_is_half_the_summed_squared_error(batch: dict[str, Any]) -> None:
    assert batch["loss"] == pytest.approx(E.LOGISTIC_SSE_FULL, abs=E.FULL_TOL)
    assert batch["loss"] == pytest.approx(E.LOGISTIC_SSE_SEED, abs=E.SEED_TOL_SSE)
    assert batch["reduction"] == "sum"


def test_book_sse_is_reproduced_from_predictions_rounded_to_4dp(batch: dict[str, Any]) -> None:
    rounded = [round(row[0], 4) for row in batch["outputs"]]
    sse = 0.5 * sum((t[0] - y) ** 2 for t, y in zip(E.POWER_PLANT_TARGETS, rounded, strict=True))
    assert sse == pytest.approx(E.LOGISTIC_SSE_SEED, abs=1e-12)


def test_output_dE_da_is_minus_the_error(batch: dict[str, Any]) -> None:
    out = layer(batch, "y")
    for row, t, y in zip(out["dE_da"], E.POWER_PLANT_TARGETS, batch["outputs"], strict=True):
        assert row[0] == pytest.approx(-(t[0] - y[0]), abs=1e-15)


@pytest.mark.parametrize("key", ["z", "a", "da_dz", "delta"])
def test_d2_forward_and_deltas_match_the_full_precision_table(
    batch: dict[str, Any], key: str
) -> None:
    assert d2_values(batch, key) == pytest.approx(E.LOGISTIC_D2_FULL[key], abs=E.TABLE_6DP_TOL)


@pytest.mark.parametrize(
    ("key", "tol"),
    [
        ("z", E.SEED_TOL_Z),
        ("a", E.SEED_TOL_4DP),
        ("da_dz", E.SEED_TOL_4DP),
        ("delta", E.SEED_TOL_4DP),
    ],
)
def test_d2_values_match_table_5_and_eqs_37_to_43_at_book_precision(
    batch: dict[str, Any], key: str, tol: float
) -> None:
    assert d2_values(batch, key) == pytest.approx(E.LOGISTIC_D2_SEED[key], abs=tol)


def test_neuron_7_derivative_is_0_2466_as_eq_40_uses_it(batch: dict[str, Any]) -> None:
    # Erratum (eq. 40): the slide labels 0.2466 ∂a6/∂z6; it is ∂a7/∂z7 (∂a6/∂z6 = 0.2473).
    assert layer(batch, "h2")["da_dz"][1][1] == pytest.approx(0.2466, abs=E.SEED_TOL_4DP)
    assert layer(batch, "h2")["da_dz"][1][0] == pytest.approx(0.2473, abs=E.SEED_TOL_4DP)


def test_d2_per_weight_gradients_match_table_6_at_full_precision() -> None:
    single = _trace([E.POWER_PLANT_INPUTS[1]], [E.POWER_PLANT_TARGETS[1]])
    for name, (_, _, _, value) in E.LOGISTIC_D2_GRADS_FULL.items():
        assert gradient(single, name, E.LOGISTIC_D2_GRADS_FULL) == pytest.approx(
            value, abs=E.GRADS_8DP_TOL
        ), name


def test_per_example_gradients_of_d2_equal_the_single_example_trace(batch: dict[str, Any]) -> None:
    for name, (lid, row, col, value) in E.LOGISTIC_D2_GRADS_FULL.items():
        entry = layer(batch, lid)
        got = (
            entry["grad_bias_per_example"][1][row]
            if col == "bias"
            else entry["grad_weights_per_example"][1][row][col]
        )
        assert got == pytest.approx(value, abs=E.GRADS_8DP_TOL), name


def test_table_6_printed_products_follow_from_4dp_delta_and_activation(
    batch: dict[str, Any],
) -> None:
    # Erratum (Table 6 / Table 10, rows w73 and w63): the formula text says "× 0.4527" but the
    # products use a3 = 0.4990; the trace's a3 for d2 is 0.4990 at 4 dp.
    a3 = round(layer(batch, "h1")["a"][1][0], 4)
    assert a3 == 0.4990
    delta7 = round(layer(batch, "h2")["delta"][1][1], 4)
    delta6 = round(layer(batch, "h2")["delta"][1][0], 4)
    assert delta7 * a3 == pytest.approx(E.LOGISTIC_D2_GRADS_SEED["w73"], abs=1e-12)
    assert delta6 * a3 == pytest.approx(E.LOGISTIC_D2_GRADS_SEED["w63"], abs=1e-12)


def test_table_6_printed_gradients_hold_at_book_precision() -> None:
    single = _trace([E.POWER_PLANT_INPUTS[1]], [E.POWER_PLANT_TARGETS[1]])
    for name, value in E.LOGISTIC_D2_GRADS_SEED.items():
        # The book multiplies 4-dp δs, so |error| ≤ 5e-5 · a_k ≤ 5e-5.
        assert gradient(single, name, E.LOGISTIC_D2_GRADS_FULL) == pytest.approx(
            value, abs=E.SEED_TOL_4DP
        ), name


def test_stochastic_update_of_w75_on_d2_follows_eq_44() -> None:
    single = _trace([E.POWER_PLANT_INPUTS[1]], [E.POWER_PLANT_TARGETS[1]])
    w75 = layer(single, "h2")["weights_after"][1][2]
    assert w75 == pytest.approx(E.W75_AFTER_D2_FULL, abs=E.FULL_TOL)
    assert w75 == pytest.approx(E.W75_AFTER_D2_SEED, abs=E.SEED_TOL_4DP * 0.2)


def test_batch_gradient_of_w75_is_the_sum_over_examples_of_table_7(batch: dict[str, Any]) -> None:
    h2 = layer(batch, "h2")
    per_example = [g[1][2] for g in h2["grad_weights_per_example"]]
    assert per_example == pytest.approx(E.W75_PER_EXAMPLE_FULL, abs=E.FULL_TOL)
    assert per_example == pytest.approx(E.W75_PER_EXAMPLE_SEED, abs=E.W75_PER_EXAMPLE_SEED_TOL)
    assert h2["grad_weights"][1][2] == pytest.approx(sum(per_example), abs=1e-15)
    assert h2["grad_weights"][1][2] == pytest.approx(E.DELTA_W75_FULL, abs=E.FULL_TOL)
    assert h2["grad_weights"][1][2] == pytest.approx(E.DELTA_W75_SEED, abs=E.DELTA_W75_SEED_TOL)


def test_book_rounding_reproduces_table_7_exactly(batch: dict[str, Any]) -> None:
    h1, h2 = layer(batch, "h1"), layer(batch, "h2")
    products = []
    for n, name in enumerate(["d1", "d2", "d3", "d4"]):
        delta7, a5 = round(h2["delta"][n][1], 4), round(h1["a"][n][2], 4)
        assert (delta7, a5) == E.BOOK_ROUNDED_TABLE_7[name]
        products.append(delta7 * a5)
    assert products == pytest.approx(E.W75_PER_EXAMPLE_SEED, abs=1e-12)
    assert sum(products) == pytest.approx(E.DELTA_W75_SEED, abs=1e-12)


def test_batch_update_of_w75_follows_eq_45(batch: dict[str, Any]) -> None:
    w75 = layer(batch, "h2")["weights_after"][1][2]
    assert w75 == pytest.approx(E.W75_AFTER_BATCH_FULL, abs=E.FULL_TOL)
    assert w75 == pytest.approx(E.W75_AFTER_BATCH_SEED, abs=E.DELTA_W75_SEED_TOL * 0.2)


def test_every_weight_moves_by_minus_alpha_times_its_batch_gradient(batch: dict[str, Any]) -> None:
    for entry in batch["layers"]:
        for w_row, g_row, new_row in zip(
            entry["weights"], entry["grad_weights"], entry["weights_after"], strict=True
        ):
            for w, g, new in zip(w_row, g_row, new_row, strict=True):
                assert new == pytest.approx(w - E.LEARNING_RATE * g, abs=1e-15)
        for b, g, new in zip(entry["bias"], entry["grad_bias"], entry["bias_after"], strict=True):
            assert new == pytest.approx(b - E.LEARNING_RATE * g, abs=1e-15)


def test_predictions_after_one_update_match_table_8(batch: dict[str, Any]) -> None:
    after = [round(row[0], 4) for row in batch["outputs_after"]]
    assert after == E.LOGISTIC_PREDICTIONS_AFTER_SEED
    assert batch["loss_after"] == pytest.approx(E.LOGISTIC_SSE_AFTER_FULL, abs=E.FULL_TOL)
    assert batch["loss_after"] == pytest.approx(E.LOGISTIC_SSE_AFTER_SEED, abs=E.SEED_TOL_SSE)


def test_deltas_shrink_toward_the_input_the_vanishing_gradient(batch: dict[str, Any]) -> None:
    out, h1 = layer(batch, "y"), layer(batch, "h1")
    assert max(abs(d) for d in h1["delta"][1]) < abs(out["delta"][1][0]) / 100
