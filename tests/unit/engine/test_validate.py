"""Engine-level validation: shapes and parameter counts, and problems where data and network disagree."""

from __future__ import annotations

from typing import Any

from engine_specs import cnn_spec, dense_spec

from glassnet.engine import validate
from glassnet.engine.validate import NodeOutput


def test_a_valid_spec_gives_shapes_and_parameter_counts() -> None:
    spec, problems, shapes = validate(cnn_spec())
    assert spec is not None and problems == [] and shapes is not None
    by_id = shapes.by_node
    assert by_id["c1"] == NodeOutput("c1", [3, 6, 6], 3 * 9 + 3)
    assert by_id["p1"].shape == [3, 3, 3] and by_id["f"].shape == [27]
    assert shapes.parameters == 30 + 27 * 10 + 10
    assert (shapes.input, shapes.output) == ("x", "y")


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


def _sequence_spec(dataset: str, return_sequences: bool) -> dict[str, Any]:
    """A GRU then a dense output on a 6-step sequence set of one feature (adding: two)."""
    features = 2 if dataset == "adding" else 1
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [6, features]},
                {"id": "s", "kind": "gru", "units": 3, "return_sequences": return_sequences},
                {"id": "y", "kind": "dense", "units": 1},
            ]
        },
        "data": {"dataset": dataset, "n": 12, "steps": 6},
        "training": {"loss": "mse", "optimizer": {"kind": "adam", "lr": 0.05}, "epochs": 2},
    }


def test_an_output_per_sequence_on_targets_at_every_step_asks_to_keep_return_sequences() -> None:
    _, problems, _ = validate(_sequence_spec("sine", return_sequences=False))
    assert [p.pointer for p in problems] == ["/network/nodes/2"]
    assert "a target at every step, [6, 1]" in problems[0].message
    assert "keep return_sequences true" in problems[0].message


def test_an_output_per_step_on_one_target_per_sequence_asks_to_drop_return_sequences() -> None:
    _, problems, _ = validate(_sequence_spec("adding", return_sequences=True))
    assert [p.pointer for p in problems] == ["/network/nodes/2"]
    assert "gives one per step, [6, 1]" in problems[0].message
    assert "set return_sequences false" in problems[0].message
