"""Problems: a JSON pointer and a sentence each, every problem of a spec reported at once."""

from __future__ import annotations

import copy

from shared_schemas.graph import validate_spec
from shared_schemas.problems import pointer

BASE = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "h", "kind": "dense", "units": 3, "activation": "tanh"},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "training": {"loss": "bce"},
}


def _pointers(spec: object) -> dict[str, str]:
    parsed, problems = validate_spec(spec)
    assert parsed is None
    return {p.pointer: p.message for p in problems}


def test_pointer_escapes_tilde_and_slash() -> None:
    assert pointer("a/b", "c~d", 3) == "/a~1b/c~0d/3"


def test_several_field_problems_are_reported_at_once() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["nodes"][1]["units"] = -1
    spec["network"]["nodes"][2]["activation"] = "relux"
    spec["training"]["epochs"] = 0
    found = _pointers(spec)
    assert {
        "/network/nodes/1/units",
        "/network/nodes/2/activation",
        "/training/epochs",
    } <= found.keys()


def test_field_and_edge_problems_are_reported_together() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["nodes"][1]["units"] = 0
    spec["network"]["edges"] = [["x", "h"], ["h", "ghost"]]
    found = _pointers(spec)
    assert "/network/nodes/1/units" in found
    assert "ghost" in found["/network/edges/1/1"]


def test_graph_problems_name_the_node_in_a_sentence() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["nodes"][1] = {"id": "c", "kind": "conv2d", "filters": 2}
    found = _pointers(spec)
    assert found == {
        "/network/nodes/1": "conv2d 'c' expects a 3-D input [C,H,W] but 'x' gives [2]."
    }


def test_a_cycle_is_reported_on_the_edges() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["edges"] = [["x", "h"], ["h", "y"], ["y", "h"]]
    found = _pointers(spec)
    assert "cycle" in found["/network/edges"]


def test_mismatched_explicit_weights_point_at_the_weights() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["nodes"][1]["weights"] = [[1.0, 2.0, 3.0]]
    found = _pointers(spec)
    assert "[3, 2]" in found["/network/nodes/1/weights"]


def test_loss_and_output_mismatch_points_at_the_loss() -> None:
    spec = copy.deepcopy(BASE)
    spec["training"]["loss"] = "cross_entropy"
    assert "softmax" in _pointers(spec)["/training/loss"]


def test_unknown_kind_lists_the_known_ones() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["nodes"][1]["kind"] = "denze"
    message = _pointers(spec)["/network/nodes/1"]
    assert "denze" in message and "dense" in message


def test_messages_are_sentences() -> None:
    spec = copy.deepcopy(BASE)
    spec["network"]["nodes"][1]["units"] = "three"
    spec["training"]["lossx"] = 1
    for message in _pointers(spec).values():
        assert message[-1] in ".)" and " " in message
