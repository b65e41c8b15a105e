"""Engine-level validation: shapes and parameter counts, and problems where data and network disagree."""

from __future__ import annotations

from engine_specs import cnn_spec, dense_spec

from glassnet.engine import validate


def test_a_valid_spec_gives_shapes_and_parameter_counts() -> None:
    spec, problems, shapes = validate(cnn_spec())
    assert spec is not None and problems == [] and shapes is not None
    by_id = {n["id"]: n for n in shapes["nodes"]}
    assert by_id["c1"] == {"id": "c1", "shape": [3, 6, 6], "parameters": 3 * 9 + 3}
    assert by_id["p1"]["shape"] == [3, 3, 3] and by_id["f"]["shape"] == [27]
    assert shapes["parameters"] == 30 + 27 * 10 + 10
    assert (shapes["input"], shapes["output"]) == ("x", "y")


def test_input_and_output_that_do_not_fit_the_data_are_both_reported() -> None:
    spec, problems, shapes = validate(dense_spec([4, 3], n_in=5, loss="mse", output="linear"))
    assert spec is None and shapes is None
    assert {p.pointer for p in problems} == {"/network/nodes/0/shape", "/network/nodes/2"}
    assert any("[5]" in p.message and "[2]" in p.message for p in problems)


def test_bad_data_and_bad_network_are_reported_together() -> None:
    spec = dense_spec([4, 1], dataset={"dataset": "circle", "noise": 99})
    spec["network"]["nodes"][1]["units"] = 0
    _, problems, _ = validate(spec)
    pointers = {p.pointer for p in problems}
    assert "/network/nodes/1/units" in pointers
    assert any(p.startswith("/data") for p in pointers)
