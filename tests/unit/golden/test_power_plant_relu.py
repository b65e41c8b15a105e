"""The power-plant network with every neuron a ReLU (Tables 11–12, eq. 50, dying ReLU)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace

NEURONS = [("h1", 0), ("h1", 1), ("h1", 2), ("h2", 0), ("h2", 1), ("y", 0)]  # neurons 3..8


@pytest.fixture(scope="module")
def batch() -> dict[str, Any]:
    return trace(
        {
            "network": E.power_plant_network("relu"),
            "inputs": E.POWER_PLANT_INPUTS,
            "targets": E.POWER_PLANT_TARGETS,
            "loss": "half_sse",
            "learning_rate": E.LEARNING_RATE,
        }
    )


def layer(result: dict[str, Any], layer_id: str) -> dict[str, Any]:
    return next(entry for entry in result["layers"] if entry["id"] == layer_id)


def d2_values(result: dict[str, Any], key: str) -> list[float]:
    return [layer(result, lid)[key][1][row] for lid, row in NEURONS]


def test_first_forward_pass_predicts_table_11(batch: dict[str, Any]) -> None:
    predictions = [row[0] for row in batch["outputs"]]
    assert predictions == pytest.approx(E.RELU_PREDICTIONS_FULL, abs=E.TABLE_6DP_TOL)
    assert predictions == pytest.approx(E.RELU_PREDICTIONS_SEED, abs=E.SEED_TOL_4DP)
    assert batch["loss"] == pytest.approx(E.RELU_SSE_FULL, abs=E.FULL_TOL)
    assert batch["loss"] == pytest.approx(E.RELU_SSE_SEED, abs=E.SEED_TOL_SSE)


def test_d2_weighted_sums_and_derivatives_match_table_12(batch: dict[str, Any]) -> None:
    assert d2_values(batch, "z") == pytest.approx(E.RELU_D2_Z_FULL, abs=E.TABLE_6DP_TOL)
    assert d2_values(batch, "da_dz") == E.RELU_D2_DA_DZ


def test_output_z8_differs_from_the_slide_only_by_book_rounding(batch: dict[str, Any]) -> None:
    # Erratum (Table 12): the slide's z8 = 0.064314 uses a6 = 0.1572, a7 = 0.1091 rounded to 4 dp.
    assert layer(batch, "y")["z"][1][0] == pytest.approx(E.RELU_D2_Z_SEED[5], abs=1e-5)
    rounded = 0.10 + 0.12 * 0.1572 - 0.50 * 0.1091
    assert rounded == pytest.approx(E.RELU_D2_Z_SEED[5], abs=1e-12)


def test_d2_deltas_follow_eq_50(batch: dict[str, Any]) -> None:
    assert d2_values(batch, "delta") == pytest.approx(E.RELU_D2_DELTA_FULL, abs=E.TABLE_6DP_TOL)
    assert d2_values(batch, "delta") == pytest.approx(E.RELU_D2_DELTA_SEED, abs=1.5e-4)


def test_delta_7_is_0_0328_at_full_precision_not_the_slides_0_0329(batch: dict[str, Any]) -> None:
    # Erratum (eq. 50): the slide's 0.0329 comes from the rounded δ8 = −0.0657.
    assert round(layer(batch, "h2")["delta"][1][1], 4) == 0.0328
    book = Decimal("-0.0657") * Decimal("-0.50")
    assert book.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) == Decimal("0.0329")


def test_hidden_activations_of_every_example(batch: dict[str, Any]) -> None:
    E.assert_close(layer(batch, "h1")["a"], E.RELU_H1_A_FULL, 1e-12)


def test_neuron_4_is_dead_for_every_example_and_gets_no_update(batch: dict[str, Any]) -> None:
    lid, row = E.DEAD_NEURON
    h1 = layer(batch, lid)
    assert all(a[row] == 0.0 for a in h1["a"])
    assert all(d[row] == 0.0 for d in h1["delta"])
    assert h1["grad_weights"][row] == [0.0, 0.0]
    assert h1["grad_bias"][row] == 0.0
    assert h1["weights_after"][row] == h1["weights"][row]


def test_neurons_3_and_4_get_no_update_from_d2(batch: dict[str, Any]) -> None:
    per_example = layer(batch, "h1")["grad_weights_per_example"][1]
    assert per_example[0] == [0.0, 0.0]
    assert per_example[1] == [0.0, 0.0]


def test_one_update_gives_the_derived_predictions(batch: dict[str, Any]) -> None:
    after = [row[0] for row in batch["outputs_after"]]
    assert after == pytest.approx(E.RELU_PREDICTIONS_AFTER_FULL, abs=E.SEED_TOL_4DP)
    assert batch["loss_after"] == pytest.approx(E.RELU_SSE_AFTER_FULL, abs=E.FULL_TOL)
