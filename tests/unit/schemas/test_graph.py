"""Spec validation never raises: valid specs parse, and any mutation that breaks one is reported as
problems, each with a JSON pointer into the document and a sentence."""

from __future__ import annotations

import copy
import itertools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassnet.engine import validate
from shared_schemas.graph import validate_spec
from shared_schemas.problems import Problem

VALID: list[dict[str, Any]] = [
    {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 3, "activation": "tanh"},
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
        "data": {"dataset": "circle", "n": 50},
        "training": {"loss": "bce"},
    },
    {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 8, 8]},
                {
                    "id": "c1",
                    "kind": "conv2d",
                    "filters": 2,
                    "kernel": 3,
                    "padding": 1,
                    "activation": "relu",
                },
                {
                    "id": "c2",
                    "kind": "conv2d",
                    "filters": 2,
                    "kernel": 3,
                    "padding": 1,
                    "activation": "relu",
                },
                {"id": "s", "kind": "add"},
                {"id": "bn", "kind": "batchnorm"},
                {"id": "p", "kind": "maxpool2d", "kernel": 2},
                {"id": "f", "kind": "flatten"},
                {
                    "id": "y",
                    "kind": "dense",
                    "units": 10,
                    "activation": "softmax",
                    "weights": [[0.0] * 32] * 10,
                },
            ],
            "edges": [
                ["x", "c1"],
                ["x", "c2"],
                ["c1", "s"],
                ["c2", "s"],
                ["s", "bn"],
                ["bn", "p"],
                ["p", "f"],
                ["f", "y"],
            ],
        },
        "data": {"dataset": "digits", "n": 20},
        "training": {"loss": "cross_entropy"},
    },
    {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [3]},
                {"id": "a", "kind": "dense", "units": 2, "activation": "relu"},
                {"id": "b", "kind": "dense", "units": 4, "activation": "elu"},
                {"id": "cat", "kind": "concat"},
                {"id": "d", "kind": "dropout", "drop_probability": 0.2},
                {
                    "id": "y",
                    "kind": "dense",
                    "units": 2,
                    "activation": "linear",
                    "bias": [0.0, 1.0],
                },
            ],
            "edges": [["x", "a"], ["x", "b"], ["a", "cat"], ["b", "cat"], ["cat", "d"], ["d", "y"]],
        },
        "data": {
            "dataset": "inline",
            "inputs": [[1, 2, 3], [4, 5, 6]],
            "targets": [[1, 0], [0, 1]],
        },
        "training": {"loss": "mse"},
    },
]
POINTER = re.compile(r"^(/([^~/]|~[01])*)*$")


def _edges(spec: dict[str, Any]) -> list[list[str]]:
    net = spec["network"]
    if net.get("edges") is None:
        ids = [n.get("id", "?") for n in net["nodes"]]
        net["edges"] = [[a, b] for a, b in itertools.pairwise(ids)]
    return net["edges"]


def _weighted(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Dense and conv nodes (or, once mutations removed them all, any node but the input)."""
    nodes = spec["network"]["nodes"]
    return [n for n in nodes if n.get("kind") in ("dense", "conv2d")] or nodes[1:]


def _size_key(node: dict[str, Any]) -> str:
    return "filters" if node.get("kind") == "conv2d" else "units"


def _mutate(draw: st.DrawFn, spec: dict[str, Any]) -> dict[str, Any]:
    nodes = spec["network"]["nodes"]
    node = draw(st.sampled_from(nodes[1:]))
    kind = draw(
        st.sampled_from(
            [
                "wrong_kind",
                "negative_units",
                "unknown_edge",
                "cycle",
                "weights",
                "bias",
                "duplicate_id",
                "missing_field",
                "wrong_type",
                "unknown_field",
                "bad_activation",
                "bad_loss",
                "self_edge",
                "orphan",
                "second_input",
                "huge_kernel",
            ]
        )
    )
    if kind == "wrong_kind":
        node["kind"] = draw(st.sampled_from(["densee", "lstm2", "", "Dense", 3]))
    elif kind == "negative_units":
        layer = draw(st.sampled_from(_weighted(spec)))
        layer[_size_key(layer)] = draw(st.integers(-100, 0))
    elif kind == "unknown_edge":
        _edges(spec).append([draw(st.sampled_from([n.get("id", "?") for n in nodes])), "ghost"])
    elif kind == "cycle":
        ids = [n.get("id", "?") for n in nodes]
        i = draw(st.integers(1, len(ids) - 2))
        _edges(spec).append([ids[-1], ids[i]])
    elif kind == "weights":
        layer = draw(st.sampled_from(_weighted(spec)))
        layer["weights"] = draw(
            st.sampled_from([[[1.0, 2.0]], [[1.0], [2.0, 3.0]], [[[[1.0]]]], [], [[0.5] * 7] * 5])
        )
    elif kind == "bias":
        draw(st.sampled_from(_weighted(spec)))["bias"] = [0.0] * draw(st.sampled_from([0, 5, 11]))
    elif kind == "duplicate_id":
        node["id"] = nodes[0].get("id", "x")
    elif kind == "missing_field":
        layer = draw(st.sampled_from(_weighted(spec)))
        layer.pop(_size_key(layer), None)
        layer.pop("id", None)
    elif kind == "wrong_type":
        nodes[0]["shape"] = draw(st.sampled_from(["two", [0], [-2], [2, "a"], None]))
    elif kind == "unknown_field":
        node[draw(st.sampled_from(["unitz", "activaton", "bias_int"]))] = 1
    elif kind == "bad_activation":
        draw(st.sampled_from(_weighted(spec)))["activation"] = draw(
            st.sampled_from(["relux", {"kind": "leaky_relu", "slope": 5}, {"kind": "nope"}, 7])
        )
    elif kind == "bad_loss":
        spec["training"]["loss"] = draw(st.sampled_from(["hinge", "bce_x", None]))
    elif kind == "self_edge":
        _edges(spec).append([node.get("id", "?"), node.get("id", "?")])
    elif kind == "orphan":
        nodes.append({"id": "lonely", "kind": "dense", "units": 2})
    elif kind == "second_input":
        nodes.insert(1, {"id": "x2", "kind": "input", "shape": [2]})
        _edges(spec)
    elif kind == "huge_kernel":
        nodes[0]["shape"] = [1, 2, 2]
        layer = draw(st.sampled_from(_weighted(spec)))
        layer["kind"], layer["filters"], layer["kernel"] = "conv2d", 2, 7
        layer.pop("units", None)
    return spec


@st.composite
def broken_specs(draw: st.DrawFn) -> dict[str, Any]:
    spec = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        spec = _mutate(draw, spec)
    return spec


def _parent_exists(doc: Any, pointer: str) -> bool:
    """Every step of the pointer but the last resolves in the document."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    here = doc
    for part in parts[:-1]:
        if isinstance(here, dict) and part in here:
            here = here[part]
        elif isinstance(here, list) and part.isdigit() and int(part) < len(here):
            here = here[int(part)]
        else:
            return False
    return True


def _check_problems(spec: dict[str, Any], problems: list[Problem]) -> None:
    assert problems
    for p in problems:
        assert POINTER.match(p.pointer), p
        assert _parent_exists(spec, p.pointer), p
        assert len(p.message) > 10 and p.message[0] != " ", p


@pytest.mark.parametrize("index", range(len(VALID)))
def test_valid_specs_parse_without_problems(index: int) -> None:
    spec, problems = validate_spec(copy.deepcopy(VALID[index]))
    assert problems == [] and spec is not None
    spec2, problems2, shapes = validate(copy.deepcopy(VALID[index]))
    assert problems2 == [] and spec2 is not None and shapes is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_specs())
def test_broken_specs_give_problems_with_pointers_never_exceptions(spec: dict[str, Any]) -> None:
    parsed, problems = validate_spec(copy.deepcopy(spec))
    assert parsed is None
    _check_problems(spec, problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_specs())
def test_engine_validate_reports_the_same_way(spec: dict[str, Any]) -> None:
    parsed, problems, shapes = validate(copy.deepcopy(spec))
    assert parsed is None and shapes is None
    _check_problems(spec, problems)


@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=5),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    )
)
def test_non_spec_documents_give_problems_not_exceptions(obj: Any) -> None:
    parsed, problems = validate_spec(obj)
    assert parsed is None and problems


@pytest.mark.parametrize(
    ("layer", "field", "says"),
    [
        ({"kind": "conv2d", "filters": 1, "kernel": 3, "padding": 4}, "padding", "the kernel size"),
        ({"kind": "maxpool2d", "kernel": 2, "padding": 2}, "padding", "half the kernel"),
        ({"kind": "conv2d", "filters": 1, "kernel": 5}, "kernel", "does not fit the 4×4 input"),
        ({"kind": "avgpool2d", "kernel": 5}, "kernel", "does not fit the 4×4 input"),
    ],
)
def test_a_sliding_window_that_breaks_its_padding_rule_or_does_not_fit_names_the_field(
    layer: dict[str, Any], field: str, says: str
) -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 4, 4]},
                {"id": "w", **layer},
                {"id": "f", "kind": "flatten"},
                {"id": "y", "kind": "dense", "units": 2, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "digits", "n": 20},
        "training": {"loss": "cross_entropy"},
    }
    _, problems = validate_spec(spec)
    assert [p.pointer for p in problems] == [f"/network/nodes/1/{field}"]
    assert says in problems[0].message
