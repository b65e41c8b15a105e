"""The catalog lists exactly what the RunSpec accepts, and the engine implements all of it."""

from __future__ import annotations

import json
import typing

import torch

from glassnet.engine import catalog
from glassnet.engine.activations import get_activation
from glassnet.engine.schedules import learning_rate
from shared_schemas.runspec import (
    NODE_KINDS,
    ActivationKind,
    InitScheme,
    LossKind,
    OptimizerKind,
    ScheduleSpec,
)


def test_catalog_is_json() -> None:
    json.dumps(catalog())


def test_catalog_lists_every_kind_the_spec_accepts() -> None:
    c = catalog()
    assert [x["kind"] for x in c["layers"]] == list(NODE_KINDS)
    assert [x["kind"] for x in c["activations"]] == list(typing.get_args(ActivationKind))
    assert [x["scheme"] for x in c["initialisers"]] == list(typing.get_args(InitScheme))
    assert [x["kind"] for x in c["optimisers"]] == list(typing.get_args(OptimizerKind))
    assert {x["kind"] for x in c["losses"]} == set(typing.get_args(LossKind))
    kinds = typing.get_args(ScheduleSpec.model_fields["kind"].annotation)
    assert [x["kind"] for x in c["schedules"]] == list(kinds)


def test_every_catalog_activation_and_schedule_is_implemented() -> None:
    z = torch.linspace(-2, 2, 5, dtype=torch.float64).reshape(1, 5)
    for entry in catalog()["activations"]:
        fn = get_activation(entry["kind"])
        a = fn.forward(z)
        assert a.shape == z.shape
        assert (fn.derivative(z, a) != 0).any() == entry["has_gradient"]
    for entry in catalog()["schedules"]:
        assert learning_rate(ScheduleSpec(kind=entry["kind"]), 0.1, 3, 10) > 0


def test_layer_parameters_carry_defaults_and_bounds() -> None:
    dense = next(x for x in catalog()["layers"] if x["kind"] == "dense")
    units = next(p for p in dense["parameters"] if p["name"] == "units")
    assert units["minimum"] == 1 and units["maximum"] >= 1024


def test_required_parameters_are_marked_and_have_no_default() -> None:
    dense = next(x for x in catalog()["layers"] if x["kind"] == "dense")
    units = next(p for p in dense["parameters"] if p["name"] == "units")
    assert units["required"] is True and units["default"] is None
    activation = next(p for p in dense["parameters"] if p["name"] == "activation")
    assert activation["default"] == "linear" and "required" not in activation
