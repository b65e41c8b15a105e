"""Batch normalisation, the lecture's worked example (§1.9, §2.3): x = [1, 2, 3, 4], ε = 1e-5,
γ = 2, β = 0.5, step by step through the textbook trace, then one step back and the update of γ
and β ([DERIVED] closed forms in expected.py)."""

from __future__ import annotations

import math
from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace


def bn_network(shape: list[int], gamma: list[float], beta: list[float]) -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "x", "kind": "input", "shape": shape},
            {"id": "bn", "kind": "batchnorm", "gamma": gamma, "beta": beta, "eps": E.BN_EPS},
        ]
    }


@pytest.fixture(scope="module")
def bn() -> dict[str, Any]:
    result = trace(
        {
            "network": bn_network([1], [E.BN_GAMMA], [E.BN_BETA]),
            "inputs": [[x] for x in E.BN_X],
            "targets": [[0.0]] * 4,
            "loss": "half_sse",
            "learning_rate": E.BN_LEARNING_RATE,
        }
    )
    return result["layers"][0]


def column(rows: list[list[float]]) -> list[float]:
    return [row[0] for row in rows]


def test_step_1_the_batch_mean_and_biased_variance(bn: dict[str, Any]) -> None:
    assert bn["mean"] == [E.BN_MEAN]
    assert bn["var"] == [pytest.approx(E.BN_VAR, abs=1e-15)]


def test_step_2_x_hat_subtracts_the_mean_and_divides_by_the_std(bn: dict[str, Any]) -> None:
    x_hat = column(bn["x_hat"])
    assert x_hat == pytest.approx(E.BN_X_HAT_SEED, abs=E.BN_SEED_TOL)
    exact = [(x - E.BN_MEAN) / math.sqrt(E.BN_VAR + E.BN_EPS) for x in E.BN_X]
    assert x_hat == pytest.approx(exact, abs=1e-15)


def test_step_3_scale_by_gamma_and_shift_by_beta(bn: dict[str, Any]) -> None:
    y = column(bn["a"])
    assert y == pytest.approx(E.BN_Y_SEED, abs=E.BN_SEED_TOL)
    assert y == pytest.approx([E.BN_GAMMA * v + E.BN_BETA for v in column(bn["x_hat"])], abs=1e-15)


def test_backward_delta_is_the_loss_gradient_of_y(bn: dict[str, Any]) -> None:
    assert column(bn["delta"]) == pytest.approx(column(bn["a"]), abs=1e-15)  # ∂½y²/∂y = y


def test_gradients_of_gamma_and_beta(bn: dict[str, Any]) -> None:
    assert bn["grad_beta"] == [pytest.approx(E.BN_GRAD_BETA, abs=1e-12)]
    assert bn["grad_gamma"] == [pytest.approx(E.BN_GRAD_GAMMA, abs=1e-12)]


def test_one_gradient_descent_step_updates_gamma_and_beta(bn: dict[str, Any]) -> None:
    assert bn["beta_after"] == [pytest.approx(E.BN_BETA_AFTER, abs=1e-12)]
    assert bn["gamma_after"] == [pytest.approx(E.BN_GAMMA_AFTER, abs=1e-12)]


def test_the_inputs_get_almost_no_gradient_when_the_loss_only_wants_smaller_outputs(
    bn: dict[str, Any],
) -> None:
    # Shifting or scaling the whole batch changes nothing after normalisation: with targets 0,
    # ∂E/∂x = 4·x̂·ε/(σ² + ε)^(3/2), which only ε keeps from vanishing.
    expected = [4 * v * E.BN_EPS / (E.BN_VAR + E.BN_EPS) ** 1.5 for v in column(bn["x_hat"])]
    assert column(bn["dE_dx"]) == pytest.approx(expected, abs=1e-15)


def test_running_statistics_move_towards_the_batch(bn: dict[str, Any]) -> None:
    assert bn["running_mean_after"] == [pytest.approx(E.BN_RUNNING_MEAN_AFTER, abs=1e-15)]
    assert bn["running_var_after"] == [pytest.approx(E.BN_RUNNING_VAR_AFTER, abs=1e-15)]


def test_an_image_channel_is_normalised_over_its_positions_too() -> None:
    result = trace(
        {
            "network": bn_network([1, 2, 2], [E.BN_GAMMA], [E.BN_BETA]),
            "inputs": [[[[1.0, 2.0], [3.0, 4.0]]]],
            "targets": [[0.0] * 4],
            "loss": "half_sse",
            "learning_rate": E.BN_LEARNING_RATE,
        }
    )
    layer = result["layers"][0]
    assert layer["mean"] == [E.BN_MEAN]
    [[[row_1, row_2]]] = layer["a"]
    assert row_1 + row_2 == pytest.approx(E.BN_Y_SEED, abs=E.BN_SEED_TOL)
    assert layer["gamma_after"] == [pytest.approx(E.BN_GAMMA_AFTER, abs=1e-12)]
