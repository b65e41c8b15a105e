"""The committed JSON Schema is what the models generate now, in the shape the TypeScript needs."""

from __future__ import annotations

import typing

from pydantic import BaseModel, ConfigDict

from glassnet.engine.catalog import catalog
from shared_schemas import api, ws
from shared_schemas.api import RunCreate, RunPublic
from shared_schemas.export import (
    BUNDLE,
    OUT,
    bundle,
    contract_models,
    contract_modules,
    mode_of,
    render,
    schemas,
)
from shared_schemas.runspec import NODE_KINDS, LayerCategory, RunSpec


def test_committed_json_schema_is_up_to_date() -> None:
    stale = [
        name
        for name, doc in schemas().items()
        if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != render(doc)
    ]
    assert stale == [], f"regenerate with `python -m shared_schemas.export`: {stale}"


def test_no_orphan_schema_files() -> None:
    assert {p.name for p in OUT.glob("*.json")} == set(schemas())


def test_bundle_defines_each_model_once_under_its_own_name() -> None:
    defs = schemas()[BUNDLE]["$defs"]
    assert {"RunSpec", "TelemetryFrame", "RunPublic", "TraceResponse", "Welcome"} <= set(defs)
    assert [name for name in defs if "-" in name] == []


def test_every_contract_module_of_the_package_is_exported_without_being_listed() -> None:
    names = {m.__name__.removeprefix("shared_schemas.") for m in contract_modules()}
    assert {"api", "runspec", "snapshot", "trace", "ws"} <= names
    assert names.isdisjoint({"export", "problems"})


def test_bases_that_models_only_extend_are_not_exported_as_contracts() -> None:
    names = {m.__name__ for m in contract_models(ws)}
    assert "Msg" not in names and "ServerMessage" not in names
    assert "Strict" not in {m.__name__ for m in contract_models(api)}


def test_what_clients_send_is_exported_for_validation_and_the_rest_for_serialization() -> None:
    assert mode_of(RunSpec) == "validation"
    assert mode_of(RunCreate) == "validation"
    assert mode_of(RunPublic) == "serialization"
    assert mode_of(ws.Welcome) == "serialization"


def test_serialized_fields_with_defaults_are_required() -> None:
    run = schemas()[BUNDLE]["$defs"]["RunPublic"]
    assert set(run["required"]) == set(RunPublic.model_fields)


def test_validated_fields_with_defaults_stay_optional() -> None:
    spec = schemas()[BUNDLE]["$defs"]["RunSpec"]
    assert spec["required"] == ["network"]


def test_every_node_kind_is_required_on_its_node() -> None:
    defs = schemas()[BUNDLE]["$defs"]
    nodes = defs["NetworkSpec"]["properties"]["nodes"]["items"]["oneOf"]
    kinds = []
    for choice in nodes:
        node = defs[choice["$ref"].removeprefix("#/$defs/")]
        assert "kind" in node["required"], node["title"]
        kinds.append(node["properties"]["kind"]["const"])
    assert tuple(kinds) == NODE_KINDS


def test_fields_carry_no_titles() -> None:
    frame = schemas()[BUNDLE]["$defs"]["TelemetryFrame"]
    assert [name for name, prop in frame["properties"].items() if "title" in prop] == []


def test_two_models_with_one_name_are_refused() -> None:
    class Twin(BaseModel):
        model_config = ConfigDict(title="Twin")

    other = type("Twin", (BaseModel,), {"__module__": "elsewhere"})
    try:
        bundle("Twins", [Twin, other])
    except ValueError as error:
        assert "Twin" in str(error)
    else:
        raise AssertionError("a name clash must fail the export")


def test_a_model_sent_both_ways_is_defined_once_as_validated() -> None:
    class Part(BaseModel):
        size: int = 1

    class Request(BaseModel):
        model_config = ConfigDict(extra="forbid")
        part: Part

    class Response(BaseModel):
        part: Part

    doc = bundle("Both", [Request, Response])
    assert sorted(doc["$defs"]) == ["Part", "Request", "Response"]
    assert "required" not in doc["$defs"]["Part"]
    refs = {m: doc["$defs"][m]["properties"]["part"]["$ref"] for m in ("Request", "Response")}
    assert refs == {"Request": "#/$defs/Part", "Response": "#/$defs/Part"}


def test_catalog_categories_are_the_shared_literal() -> None:
    categories = {layer["category"] for layer in catalog()["layers"]}
    assert categories == set(typing.get_args(LayerCategory))
