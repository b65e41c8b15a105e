"""Inverted dropout, Kelleher's Algorithm 2 with ρ the probability of keeping a unit, traced with
given masks: the forward scaling by 1/ρ, and the erratum: the exact backward pass masks δ and
scales it by 1/ρ as well, twice what the algorithm's mask-only step gives at ρ = 0.5."""

from __future__ import annotations

from typing import Any

import expected as E
import numpy as np
import pytest

from glassnet.engine.trace import trace


def request(dropout: dict[str, Any]) -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [4]},
                {"id": "drop", "kind": "dropout", **dropout},
                {
                    "id": "y",
                    "kind": "dense",
                    "units": 1,
                    "activation": "linear",
                    "weights": E.DROPOUT_WEIGHTS,
                    "bias": [0.0],
                },
            ]
        },
        "inputs": E.DROPOUT_INPUTS,
        "targets": E.DROPOUT_TARGETS,
        "loss": "half_sse",
        "learning_rate": 0.1,
        "masks": {"drop": E.DROPOUT_MASKS},
    }


@pytest.fixture(scope="module")
def layers() -> dict[str, dict[str, Any]]:
    result = trace(request({"keep_probability": E.DROPOUT_KEEP}))
    return {layer["id"]: layer for layer in result["layers"]}


def test_the_given_mask_is_used_and_reported(layers: dict[str, dict[str, Any]]) -> None:
    drop = layers["drop"]
    assert drop["mask"] == E.DROPOUT_MASKS
    assert drop["keep_probability"] == E.DROPOUT_KEEP
    assert drop["scale"] == 1 / E.DROPOUT_KEEP


def test_forward_masks_then_scales_the_kept_units_by_one_over_rho(
    layers: dict[str, dict[str, Any]],
) -> None:
    np.testing.assert_allclose(layers["drop"]["a"], E.DROPOUT_A, rtol=0, atol=1e-15)
    np.testing.assert_allclose(layers["y"]["z"], E.DROPOUT_Z, rtol=0, atol=1e-12)


def test_backward_masks_delta_and_scales_it_by_one_over_rho(
    layers: dict[str, dict[str, Any]],
) -> None:
    drop = layers["drop"]
    np.testing.assert_allclose(layers["y"]["delta"], E.DROPOUT_DELTA, rtol=0, atol=1e-12)
    np.testing.assert_allclose(drop["dE_da"], E.DROPOUT_DE_DA, rtol=0, atol=1e-12)
    np.testing.assert_allclose(drop["dE_dx"], E.DROPOUT_DE_DX, rtol=0, atol=1e-12)


def test_the_algorithms_mask_only_backward_step_misses_the_factor_one_over_rho(
    layers: dict[str, dict[str, Any]],
) -> None:
    exact = layers["drop"]["dE_dx"]
    for exact_row, seed_row in zip(exact, E.DROPOUT_DE_DX_SEED, strict=True):
        np.testing.assert_allclose(
            exact_row, np.array(seed_row) / E.DROPOUT_KEEP, rtol=0, atol=1e-12
        )


def test_a_dropped_unit_adds_nothing_to_its_weights_gradient(
    layers: dict[str, dict[str, Any]],
) -> None:
    np.testing.assert_allclose(layers["y"]["grad_weights"], E.DROPOUT_GRAD_W, rtol=0, atol=1e-12)
    first_example = layers["y"]["grad_weights_per_example"][0][0]
    assert [first_example[k] for k in (1, 3)] == [0.0, 0.0]


def test_keep_probability_and_drop_probability_trace_the_same_step(
    layers: dict[str, dict[str, Any]],
) -> None:
    by_p = trace(request({"drop_probability": 1 - E.DROPOUT_KEEP}))
    assert by_p["layers"][0]["dE_dx"] == layers["drop"]["dE_dx"]
    assert by_p["layers"][1]["weights_after"] == layers["y"]["weights_after"]
