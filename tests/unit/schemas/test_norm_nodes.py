"""The nodes of normalisation and regularisation: an activation node on any shape, batch norm's
explicit γ and β, dropout by Kelleher's ρ, DropConnect and stochastic depth, each checked with a
pointer to the field at fault."""

from __future__ import annotations

from typing import Any

import pytest

from shared_schemas.graph import analyse_network, validate_spec
from shared_schemas.runspec import DropoutNode, NetworkSpec


def conv_spec(*middle: dict[str, Any]) -> dict[str, Any]:
    """input [1, 6, 6] → conv2d(2 filters, linear) → middle… → maxpool → flatten → dense(1)."""
    nodes = [
        {"id": "x", "kind": "input", "shape": [1, 6, 6]},
        {"id": "c1", "kind": "conv2d", "filters": 2, "kernel": 3, "activation": "linear"},
        *middle,
        {"id": "p1", "kind": "maxpool2d", "kernel": 2},
        {"id": "f", "kind": "flatten"},
        {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
    ]
    return {"network": {"nodes": nodes}, "training": {"loss": "bce"}}


def shapes(spec: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    info, problems = analyse_network(NetworkSpec.model_validate(spec["network"]))
    assert problems == []
    return info.shapes


def problems_of(spec: dict[str, Any]) -> list[tuple[str, str]]:
    parsed, problems = validate_spec(spec)
    assert parsed is None
    return [(p.pointer, p.message) for p in problems]


def test_batchnorm_then_activation_sit_between_a_convs_z_and_the_pooling() -> None:
    spec = conv_spec(
        {"id": "bn", "kind": "batchnorm", "gamma": [2, 1], "beta": [0.5, 0]},
        {"id": "phi", "kind": "activation", "activation": "relu"},
    )
    got = shapes(spec)
    assert got["bn"] == got["phi"] == (2, 4, 4)
    assert validate_spec(spec)[1] == []


def test_gamma_with_a_value_per_pixel_instead_of_per_channel_names_gamma() -> None:
    spec = conv_spec({"id": "bn", "kind": "batchnorm", "gamma": [1.0] * 16})
    [(pointer, message)] = problems_of(spec)
    assert pointer == "/network/nodes/2/gamma"
    assert "2 values (one per channel" in message


def test_beta_of_the_wrong_length_after_a_dense_layer_names_beta() -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 3},
                {"id": "bn", "kind": "batchnorm", "beta": [0, 0]},
                {"id": "y", "kind": "dense", "units": 1},
            ]
        }
    }
    [(pointer, message)] = problems_of(spec)
    assert pointer == "/network/nodes/2/beta"
    assert "3 values (one per feature" in message


def test_keep_probability_alone_means_p_is_one_minus_rho() -> None:
    assert DropoutNode(id="d", keep_probability=0.8).p == pytest.approx(0.2, abs=1e-15)
    assert DropoutNode(id="d", drop_probability=0.3).p == 0.3
    assert DropoutNode(id="d").p == 0.5


def test_p_and_rho_that_agree_are_accepted() -> None:
    spec = conv_spec(
        {"id": "d", "kind": "dropout", "drop_probability": 0.2, "keep_probability": 0.8}
    )
    assert validate_spec(spec)[1] == []


def test_p_and_rho_that_disagree_name_keep_probability() -> None:
    spec = conv_spec(
        {"id": "d", "kind": "dropout", "drop_probability": 0.5, "keep_probability": 0.8}
    )
    [(pointer, message)] = problems_of(spec)
    assert pointer == "/network/nodes/2/keep_probability"
    assert "disagree" in message


@pytest.mark.parametrize(
    ("node", "pointer"),
    [
        (
            {"id": "d", "kind": "dropout", "keep_probability": 0},
            "/network/nodes/2/keep_probability",
        ),
        (
            {"id": "r", "kind": "add", "survival_probability": 0},
            "/network/nodes/2/survival_probability",
        ),
    ],
)
def test_probabilities_out_of_range_name_their_field(node: dict[str, Any], pointer: str) -> None:
    spec = conv_spec(node)
    assert pointer in [p for p, _ in problems_of(spec)]


def test_drop_connect_of_one_would_drop_every_weight_and_is_refused() -> None:
    spec = conv_spec()
    spec["network"]["nodes"][-1]["drop_connect"] = 1.0
    assert "/network/nodes/4/drop_connect" in [p for p, _ in problems_of(spec)]


def test_softmax_on_a_feature_map_is_refused_on_the_activation_field() -> None:
    spec = conv_spec({"id": "phi", "kind": "activation", "activation": "softmax"})
    [(pointer, message)] = problems_of(spec)
    assert pointer == "/network/nodes/2/activation"
    assert "softmax" in message


def test_an_activation_node_may_be_the_softmax_output_for_cross_entropy() -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 3},
                {"id": "phi", "kind": "activation", "activation": "softmax"},
            ]
        },
        "training": {"loss": "cross_entropy"},
    }
    assert validate_spec(spec)[1] == []
    spec["network"]["nodes"][2]["activation"] = "tanh"
    assert [p for p, _ in problems_of(spec)] == ["/training/loss"]


def test_a_step_activation_node_cannot_be_trained_by_backpropagation() -> None:
    spec = conv_spec({"id": "phi", "kind": "activation", "activation": "step"})
    [(pointer, message)] = problems_of(spec)
    assert pointer == "/network/nodes/2/activation"
    assert "derivative is 0" in message


def test_a_prelu_activation_node_counts_its_learned_slope() -> None:
    spec = conv_spec({"id": "phi", "kind": "activation", "activation": {"kind": "prelu"}})
    info, _ = analyse_network(NetworkSpec.model_validate(spec["network"]))
    assert info.parameters["phi"] == 1


def test_an_unknown_activation_on_an_activation_node_names_its_activation_field() -> None:
    spec = conv_spec({"id": "phi", "kind": "activation", "activation": "relux"})
    assert [p for p, _ in problems_of(spec)] == ["/network/nodes/2/activation"]


def test_the_perceptron_rule_refuses_drop_connect() -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "y", "kind": "dense", "units": 1, "activation": "step", "drop_connect": 0.5},
            ]
        },
        "training": {"trainer": "perceptron", "loss": "half_sse"},
    }
    assert [p for p, _ in problems_of(spec)] == ["/network/nodes/1/drop_connect"]
