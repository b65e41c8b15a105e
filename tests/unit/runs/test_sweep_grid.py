"""The sweep grid: pointers into a spec, the grid's order, and problems named by their axis."""

from __future__ import annotations

import pytest

from glassnet.runs.sweep_grid import (
    PointerError,
    axis_problems,
    blame,
    grid,
    label,
    parse_pointer,
    set_at,
)

SPEC = {"network": {"nodes": [{"id": "x"}, {"id": "h", "units": 4}]}, "training": {"epochs": 5}}


def test_pointer_tokens_unescape_tilde_and_slash() -> None:
    assert parse_pointer("/a~1b/c~0d/0") == ["a/b", "c~d", "0"]


@pytest.mark.parametrize("bad", ["", "training/epochs", "/training//epochs", "/a~2"])
def test_malformed_pointers_are_refused(bad: str) -> None:
    with pytest.raises(PointerError):
        parse_pointer(bad)


def test_set_at_copies_and_makes_missing_sections() -> None:
    out = set_at(SPEC, ["training", "optimizer", "lr"], 0.3)
    assert out["training"]["optimizer"] == {"lr": 0.3}
    assert "optimizer" not in SPEC["training"]


def test_set_at_reaches_list_items_and_refuses_missing_ones() -> None:
    assert set_at(SPEC, ["network", "nodes", "1", "units"], 8)["network"]["nodes"][1]["units"] == 8
    with pytest.raises(PointerError, match="2 items"):
        set_at(SPEC, ["network", "nodes", "5", "units"], 8)
    with pytest.raises(PointerError, match="index"):
        set_at(SPEC, ["network", "nodes", "h", "units"], 8)


def test_set_at_refuses_a_path_through_a_value() -> None:
    with pytest.raises(PointerError, match="is a value"):
        set_at(SPEC, ["training", "epochs", "n"], 1)


def test_grid_runs_axis_zero_outermost() -> None:
    assert grid([2, 3]) == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]


def test_axis_problems_name_pointer_repeats_overlap_and_size() -> None:
    axes = [
        {"pointer": "/training", "values": [1, 2, 2]},
        {"pointer": "/training/epochs", "values": [1, 2, 3]},
    ]
    _, problems = axis_problems(SPEC, axes, max_runs=8)
    assert {p["pointer"] for p in problems} == {"/axes/0/values/2", "/axes/1/pointer", "/axes"}


def test_one_and_one_point_zero_are_one_value_but_true_is_not_one() -> None:
    _, problems = axis_problems(SPEC, [{"pointer": "/seed", "values": [1, 1.0, True]}], 8)
    assert [p["pointer"] for p in problems] == []
    _, problems = axis_problems(SPEC, [{"pointer": "/seed", "values": [1, 1]}], 8)
    assert [p["pointer"] for p in problems] == ["/axes/0/values/1"]


AXES = [
    {"pointer": "/training/optimizer/lr", "values": [0.1, -1]},
    {"pointer": "/network/nodes/1/units", "values": [2, 4]},
]


def test_a_value_problem_names_the_value_of_its_axis() -> None:
    found = [((1, j), [{"pointer": "/training/optimizer/lr", "message": "bad lr"}]) for j in (0, 1)]
    assert blame(AXES, found, 4) == [{"pointer": "/axes/0/values/1", "message": "bad lr"}]


def test_an_unknown_field_on_the_way_is_a_pointer_problem() -> None:
    axes = [{"pointer": "/training/optimiser/lr", "values": [0.1]}]
    found = [
        (
            (0,),
            [
                {
                    "pointer": "/training/optimiser",
                    "message": "'optimiser' is not a known field here",
                }
            ],
        )
    ]
    (problem,) = blame(axes, found, 1)
    assert problem["pointer"] == "/axes/0/pointer"
    assert "/training/optimiser" in problem["message"]


def test_a_problem_of_every_point_elsewhere_belongs_to_the_spec() -> None:
    found = [
        ((i, j), [{"pointer": "/data/n", "message": "too few"}]) for i in (0, 1) for j in (0, 1)
    ]
    assert blame(AXES, found, 4) == [{"pointer": "/spec/data/n", "message": "too few"}]


def test_a_combination_problem_names_both_values() -> None:
    found = [((1, 0), [{"pointer": "/network/nodes/2", "message": "shapes clash"}])]
    (problem,) = blame(AXES, found, 4)
    assert problem["pointer"] == "/axes/0/values/1"
    assert "/axes/1/values/0 (2)" in problem["message"] and "shapes clash" in problem["message"]


def test_label_uses_the_last_part_of_the_pointer() -> None:
    assert label("/training/optimizer/lr", 0.1) == "lr=0.1"
