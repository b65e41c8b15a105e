"""The trace's `masks`: given masks are checked and used, missing ones are drawn from the seed and
reported; δ splits at a residual add and a concat."""

from __future__ import annotations

from typing import Any

import pytest

from glassnet.engine.trace import TraceError, trace


def network(*middle: dict[str, Any], edges: list[list[str]] | None = None) -> dict[str, Any]:
    nodes = [
        {"id": "x", "kind": "input", "shape": [2]},
        *middle,
        {"id": "y", "kind": "dense", "units": 1, "weights": [[0.5, -1.0]], "bias": [0.0]},
    ]
    return {"nodes": nodes, "edges": edges}


def request(net: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "network": net,
        "inputs": [[1.0, 2.0], [3.0, -1.0]],
        "targets": [[0.0], [1.0]],
        "loss": "half_sse",
        "learning_rate": 0.1,
        **extra,
    }


DROPOUT = {"id": "d", "kind": "dropout", "keep_probability": 0.5}


def test_a_missing_mask_is_drawn_from_the_seed_and_reported() -> None:
    first = trace(request(network(DROPOUT), seed=3))["layers"][0]["mask"]
    again = trace(request(network(DROPOUT), seed=3))["layers"][0]["mask"]
    assert first == again
    assert {v for row in first for v in row} <= {0.0, 1.0}


@pytest.mark.parametrize(
    ("mask", "needle"),
    [
        ([[1, 0]], "must have shape [2, 2], got [1, 2]"),
        ([[1, 0], [0.5, 1]], "values other than 0 and 1"),
        ([[1, 0], [1]], "an array of 0 and 1"),
    ],
)
def test_a_bad_dropout_mask_is_refused_at_its_pointer(mask: Any, needle: str) -> None:
    with pytest.raises(TraceError) as err:
        trace(request(network(DROPOUT), masks={"d": mask}))
    assert needle in err.value.message
    assert err.value.pointer == "/masks/d"


def test_a_mask_for_a_node_that_draws_none_is_refused() -> None:
    plain = {"id": "d", "kind": "dropout", "drop_probability": 0.0}
    with pytest.raises(TraceError, match="'d', which draws no mask") as err:
        trace(request(network(plain), masks={"d": [[1, 1], [1, 1]]}))
    assert err.value.pointer == "/masks/d"


def test_drop_connect_uses_one_weight_mask_for_the_step() -> None:
    net = network()
    net["nodes"][1]["drop_connect"] = 0.5
    layer = trace(request(net, masks={"y": [[1, 0]]}))["layers"][0]
    assert layer["drop_connect_mask"] == [[1.0, 0.0]]
    assert layer["weights_used"] == [[1.0, 0.0]]  # 0.5 / (1 − 0.5), and the dropped weight
    assert layer["z"] == [[1.0], [3.0]]
    assert layer["grad_weights"][0][1] == 0.0  # a dropped weight gets no gradient


def residual(survival: float = 1.0) -> dict[str, Any]:
    """x → h (dense 2) → r = h + f(h), f = dense → tanh; r → y."""
    return network(
        {"id": "h", "kind": "dense", "units": 2, "weights": [[1, 0], [0, 1]], "bias": [0, 0]},
        {
            "id": "f",
            "kind": "dense",
            "units": 2,
            "weights": [[0.3, 0.1], [-0.2, 0.4]],
            "bias": [0, 0],
        },
        {"id": "phi", "kind": "activation", "activation": "tanh"},
        {"id": "r", "kind": "add", "survival_probability": survival},
        edges=[["x", "h"], ["h", "r"], ["h", "f"], ["f", "phi"], ["phi", "r"], ["r", "y"]],
    )


def test_delta_splits_at_the_add_and_sums_where_the_branches_left() -> None:
    layers = {layer["id"]: layer for layer in trace(request(residual()))["layers"]}
    add = layers["r"]
    assert add["inputs"] == ["h", "phi"]
    assert add["dE_dinputs"]["h"] == add["dE_da"] == add["dE_dinputs"]["phi"]
    assert layers["phi"]["dE_da"] == add["dE_da"]
    # h feeds the skip and the branch: its ∂E/∂a is the add's plus what comes back through f
    through_f = [
        [
            sum(layers["f"]["delta"][n][i] * layers["f"]["weights"][i][k] for i in range(2))
            for k in range(2)
        ]
        for n in range(2)
    ]
    expected = [
        [a + b for a, b in zip(s, f, strict=True)]
        for s, f in zip(add["dE_da"], through_f, strict=True)
    ]
    for row, want in zip(layers["h"]["dE_da"], expected, strict=True):
        assert row == pytest.approx(want, abs=1e-15)


def test_a_dropped_branch_passes_no_delta_and_the_skip_carries_the_step() -> None:
    layers = {
        layer["id"]: layer for layer in trace(request(residual(0.5), masks={"r": 0}))["layers"]
    }
    add = layers["r"]
    assert add["branch_kept"] == 0.0
    assert add["a"] == layers["h"]["a"]
    assert add["dE_dinputs"]["phi"] == [[0.0, 0.0], [0.0, 0.0]]
    assert layers["f"]["grad_weights"] == [[0.0, 0.0], [0.0, 0.0]]


def test_concat_hands_each_branch_its_slice_of_delta_as_autograd_does() -> None:
    import torch

    W1, W2, Wy = [[0.2, -0.4]], [[0.5, 0.1], [-0.3, 0.7]], [[0.6, -1.0, 0.25]]
    net = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {
                "id": "a",
                "kind": "dense",
                "units": 1,
                "activation": "tanh",
                "weights": W1,
                "bias": [0.1],
            },
            {
                "id": "b",
                "kind": "dense",
                "units": 2,
                "activation": "sigmoid",
                "weights": W2,
                "bias": [0, 0],
            },
            {"id": "c", "kind": "concat"},
            {"id": "y", "kind": "dense", "units": 1, "weights": Wy, "bias": [0.0]},
        ],
        "edges": [["x", "a"], ["x", "b"], ["a", "c"], ["b", "c"], ["c", "y"]],
    }
    layers = {layer["id"]: layer for layer in trace(request(net))["layers"]}
    x = torch.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=torch.float64)
    w = [torch.tensor(m, dtype=torch.float64, requires_grad=True) for m in (W1, W2, Wy)]
    h = torch.cat([torch.tanh(x @ w[0].T + 0.1), torch.sigmoid(x @ w[1].T)], dim=1)
    out = h @ w[2].T
    (0.5 * ((out - torch.tensor([[0.0], [1.0]], dtype=torch.float64)) ** 2).sum()).backward()
    assert layers["c"]["dE_dinputs"]["a"] == [row[:1] for row in layers["c"]["dE_da"]]
    assert layers["c"]["dE_dinputs"]["b"] == [row[1:] for row in layers["c"]["dE_da"]]
    for nid, grad in (("a", w[0].grad), ("b", w[1].grad), ("y", w[2].grad)):
        assert torch.allclose(
            torch.tensor(layers[nid]["grad_weights"], dtype=torch.float64), grad, atol=1e-12
        )
