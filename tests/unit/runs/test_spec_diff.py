"""What changed between two RunSpecs, by JSON pointer, old → new."""

from __future__ import annotations

import copy
from typing import Any

from glassnet.runs.spec_diff import MAX_CHANGES, run_diff, spec_changes


def spec(**training: Any) -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 4, "activation": "tanh"},
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
        "data": {"dataset": "xor", "n": 40},
        "training": {"loss": "bce", **training},
    }


def test_the_same_spec_has_no_changes() -> None:
    assert spec_changes(spec(), spec()) == []


def test_a_default_written_out_is_no_change() -> None:
    assert spec_changes(spec(), spec(optimizer={"kind": "sgd", "lr": 0.03}, epochs=100)) == []


def test_a_changed_learning_rate_is_one_change_with_old_and_new() -> None:
    assert spec_changes(spec(), spec(optimizer={"lr": 0.1})) == [
        {"pointer": "/training/optimizer/lr", "old": 0.03, "new": 0.1}
    ]


def test_changes_inside_nodes_point_at_the_node_by_index() -> None:
    new = spec()
    new["network"]["nodes"][1]["units"] = 8
    new["network"]["nodes"][1]["activation"] = "relu"
    assert spec_changes(spec(), new) == [
        {"pointer": "/network/nodes/1/activation", "old": "tanh", "new": "relu"},
        {"pointer": "/network/nodes/1/units", "old": 4, "new": 8},
    ]


def test_an_added_node_is_new_where_the_old_spec_had_none() -> None:
    new = spec()
    new["network"]["nodes"].append({"id": "z", "kind": "dense", "units": 1})
    changes = spec_changes(spec(), new)
    assert changes == [{"pointer": "/network/nodes/3", "old": None, "new": "{…}"}]


def test_big_values_are_named_by_their_size() -> None:
    old, new = spec(), spec()
    new["network"]["nodes"][1]["weights"] = [[0.1, 0.2]] * 4
    new["data"] = {"dataset": "csv", "csv_text": "a,b\n" + "1,2\n" * 30, "target_column": "b"}
    by_pointer = {c["pointer"]: c for c in spec_changes(old, new)}
    assert by_pointer["/network/nodes/1/weights"] == {
        "pointer": "/network/nodes/1/weights",
        "old": None,
        "new": "list of 4",
    }
    assert by_pointer["/data/csv_text"]["new"] == "text of 124 characters"
    assert by_pointer["/data/dataset"] == {"pointer": "/data/dataset", "old": "xor", "new": "csv"}


def test_short_lists_are_shown_as_they_are() -> None:
    new = spec()
    new["network"]["nodes"][0]["shape"] = [3]
    assert spec_changes(spec(), new) == [
        {"pointer": "/network/nodes/0/shape", "old": [2], "new": [3]}
    ]


def test_pointer_tokens_are_escaped() -> None:
    assert spec_changes({"a/b": 1, "c~d": 2}, {"a/b": 2, "c~d": 3}) == [
        {"pointer": "/a~1b", "old": 1, "new": 2},
        {"pointer": "/c~0d", "old": 2, "new": 3},
    ]


def test_specs_that_are_not_valid_runspecs_are_compared_as_given() -> None:
    old = {"network": {"nodes": []}, "training": {"optimizer": {"lr": 1}}}
    new = copy.deepcopy(old)
    new["training"]["optimizer"]["lr"] = 2
    assert spec_changes(old, new) == [{"pointer": "/training/optimizer/lr", "old": 1, "new": 2}]


def test_a_long_diff_lists_the_first_changes_and_counts_the_rest() -> None:
    old = {"network": {}, **{f"k{i}": i for i in range(MAX_CHANGES + 5)}}
    new = {"network": {}, **{f"k{i}": -i - 1 for i in range(MAX_CHANGES + 5)}}
    diff = run_diff("prev", old, new)
    assert diff["previous"] == "prev"
    assert len(diff["changes"]) == MAX_CHANGES
    assert diff["changes"][0] == {"pointer": "/k0", "old": 0, "new": -1}
    assert diff["omitted"] == 5
