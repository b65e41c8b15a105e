"""Write the JSON Schema of every contract to shared_schemas/json/ (`make schemas`).

The files are generated, committed, and checked fresh by the tests (`--check`):

- `contracts.json` bundles every model of every contract module, each defined once under `$defs`,
  and is what the frontend generates its TypeScript types from (`npm run gen:types`);
- `runspec.json` is the RunSpec alone, the document a spec author validates against.

Each model is exported in the direction it travels, so the generated types are usable as they are:
a model that parses what a client sends (`extra="forbid"`, so typos fail) in validation mode, where a
field with a default may be left out; every other model, which the server sends, in serialization
mode with every field required, because the server always writes them. A model's own
`json_schema_mode_override` wins over that rule. A model that travels both ways (nested in a request
and in a response) is defined once, as it is validated: what the server writes is valid input too,
so one type serves both directions. The tag of a discriminated union (a node's `kind`,
a message's `type`) is required in either mode, as pydantic requires it on input. Fields carry no
titles, so the TypeScript has one named type per model instead of one numbered alias per field.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from pydantic_core import core_schema

from shared_schemas import runspec

OUT = Path(__file__).parent / "json"
BUNDLE = "contracts.json"
# Modules of the package that hold no wire contract: this one, the validation problems that the
# API sends as `ProblemOut`, and the strict base class the client's models extend.
NOT_CONTRACTS = frozenset({"export", "problems", "base"})


class ContractSchema(GenerateJsonSchema):
    """pydantic's generator with serialized defaults required and no per-field titles."""

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization":
            return field.get("serialization_exclude_if") is None
        return super().field_is_required(field, total)

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def mode_of(model: type[BaseModel]) -> JsonSchemaMode:
    """The direction a model travels: validation for what clients send, serialization otherwise."""
    override = model.model_config.get("json_schema_mode_override")
    if override is not None:
        return override
    return "validation" if model.model_config.get("extra") == "forbid" else "serialization"


def contract_modules() -> list[ModuleType]:
    """Every contract module of the package, so that a new one is exported without a change here."""
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name not in NOT_CONTRACTS
    )
    return [importlib.import_module(f"shared_schemas.{name}") for name in names]


def contract_models(module: ModuleType) -> list[type[BaseModel]]:
    """The models a module defines, without the bases its other models only extend."""
    models = [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, BaseModel) and obj.__module__ == module.__name__
    ]
    return [m for m in models if not any(m in other.__bases__ for other in models)]


def _walk(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def require_discriminators(doc: dict[str, Any]) -> None:
    """Mark each discriminated union's tag required in every model the union names."""
    defs: dict[str, Any] = doc.get("$defs", {})
    for node in list(_walk(doc)):
        tag = node.get("discriminator", {}).get("propertyName")
        if tag is None:
            continue
        for choice in node.get("oneOf", []):
            target = defs.get(choice.get("$ref", "").removeprefix("#/$defs/"))
            if target is not None and tag in target.get("properties", {}):
                required = target.setdefault("required", [])
                if tag not in required:
                    required.append(tag)


def merge_directions(doc: dict[str, Any]) -> None:
    """Define a model exported in both modes once, as validated (pydantic names them X-Input and
    X-Output), and point every reference at that one definition."""
    defs: dict[str, Any] = doc.get("$defs", {})
    renamed: dict[str, str] = {}
    for name in [n for n in defs if n.endswith("-Input")]:
        base = name.removesuffix("-Input")
        if f"{base}-Output" in defs and base not in defs:
            defs[base] = defs.pop(name)
            del defs[f"{base}-Output"]
            renamed[f"#/$defs/{name}"] = renamed[f"#/$defs/{base}-Output"] = f"#/$defs/{base}"
    for node in _walk(doc):
        if node.get("$ref") in renamed:
            node["$ref"] = renamed[node["$ref"]]


def bundle(title: str, models: list[type[BaseModel]]) -> dict[str, Any]:
    """One document whose root names every model, so each becomes one generated type."""
    pairs = [(m, mode_of(m)) for m in models]
    names = [m.__name__ for m in models]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"two contract models share a name, rename one: {duplicated}")
    refs, schema = models_json_schema(pairs, title=title, schema_generator=ContractSchema)
    doc: dict[str, Any] = {
        "title": title,
        "type": "object",
        "properties": {m.__name__: refs[(m, mode)] for m, mode in pairs},
        "$defs": schema.get("$defs", {}),
    }
    merge_directions(doc)
    require_discriminators(doc)
    return doc


def standalone(model: type[BaseModel]) -> dict[str, Any]:
    """One model's own document, in the direction it travels."""
    doc = model.model_json_schema(mode=mode_of(model), schema_generator=ContractSchema)
    require_discriminators(doc)
    return doc


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema document."""
    models = [m for module in contract_modules() for m in contract_models(module)]
    return {
        BUNDLE: bundle("Contracts", models),
        "runspec.json": standalone(runspec.RunSpec),
    }


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    """Files in shared_schemas/json/ that differ from what the models generate now, or are orphans."""
    docs = schemas()
    changed = [
        name
        for name, doc in docs.items()
        if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != render(doc)
    ]
    orphans = sorted(p.name for p in OUT.glob("*.json") if p.name not in docs)
    return changed + orphans


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        outdated = stale()
        if outdated:
            print(f"stale JSON Schema: {outdated}; run `make schemas`", file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(exist_ok=True)
    docs = schemas()
    for old in OUT.glob("*.json"):
        if old.name not in docs:
            old.unlink()
    for name, doc in docs.items():
        (OUT / name).write_text(render(doc), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
