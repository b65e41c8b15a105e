"""Numbers in a RunSpec are numbers: no booleans or strings, nothing non-finite, nothing that
overflows. Each problem comes back with the JSON pointer of the offending value."""

from __future__ import annotations

import copy
from typing import Any

from shared_schemas.graph import validate_spec
from shared_schemas.runspec import MAX_ABS_VALUE

SPEC: dict[str, Any] = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "data": {"dataset": "xor"},
    "training": {"loss": "bce"},
}


def _problems(spec: dict[str, Any]) -> dict[str, str]:
    parsed, problems = validate_spec(spec)
    assert parsed is None
    return {p.pointer: p.message for p in problems}


def _with(path: list[str | int], value: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    target: Any = spec
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return spec


def test_boolean_units_is_refused_with_its_pointer() -> None:
    problems = _problems(_with(["network", "nodes", 1, "units"], True))
    assert "whole number" in problems["/network/nodes/1/units"]


def test_string_units_is_refused_with_its_pointer() -> None:
    problems = _problems(_with(["network", "nodes", 1, "units"], "8"))
    assert "not a string" in problems["/network/nodes/1/units"]


def test_string_learning_rate_is_refused() -> None:
    spec = _with(["training", "optimizer"], {"kind": "sgd", "lr": "0.1"})
    assert "/training/optimizer/lr" in _problems(spec)


def test_boolean_seed_is_refused() -> None:
    assert "/seed" in _problems(_with(["seed"], False))


def test_float_fields_still_take_json_integers() -> None:
    spec = _with(["training", "optimizer"], {"kind": "sgd", "lr": 1})
    parsed, problems = validate_spec(spec)
    assert problems == []
    assert parsed is not None and parsed.training.optimizer.lr == 1.0


def test_nan_weight_is_refused_with_its_pointer() -> None:
    spec = _with(["network", "nodes", 1, "weights"], [[0.5, float("nan")]])
    problems = _problems(spec)
    assert "finite" in problems["/network/nodes/1/weights/0/1"]


def test_infinite_bias_is_refused_with_its_pointer() -> None:
    problems = _problems(_with(["network", "nodes", 1, "bias"], [float("inf")]))
    assert "/network/nodes/1/bias/0" in problems


def test_huge_inline_input_is_refused_with_the_limit_in_the_sentence() -> None:
    spec = _with(
        ["data"],
        {"dataset": "inline", "inputs": [[0.0, 1e308]], "targets": [[1.0]]},
    )
    message = _problems(spec)["/data/inputs/0/1"]
    assert f"{MAX_ABS_VALUE}" in message or "1000000" in message


def test_nan_inline_target_is_refused_with_its_pointer() -> None:
    spec = _with(
        ["data"],
        {"dataset": "inline", "inputs": [[0.0, 1.0]], "targets": [[float("nan")]]},
    )
    assert "/data/targets/0/0" in _problems(spec)


def test_values_at_the_limit_are_accepted() -> None:
    spec = _with(["network", "nodes", 1, "weights"], [[MAX_ABS_VALUE, -MAX_ABS_VALUE]])
    assert validate_spec(spec)[1] == []


def test_long_string_is_named_by_its_length_never_echoed_back() -> None:
    message = _problems(_with(["network", "nodes", 1, "label"], "y" * 500))[
        "/network/nodes/1/label"
    ]
    assert "500 characters" in message
    assert "y" * 100 not in message
