"""Write the JSON Schema of every contract to shared_schemas/json/ (`make schemas`).

The files are generated, committed, and checked fresh by the tests; the frontend generates its
TypeScript types from them.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared_schemas import api, rooms, runspec, snapshot, trace, ws

OUT = Path(__file__).parent / "json"
MODULES: dict[str, ModuleType] = {"api": api, "ws": ws, "trace": trace, "rooms": rooms}


def _models(module: ModuleType) -> list[type[BaseModel]]:
    return [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, BaseModel) and obj.__module__ == module.__name__
    ]


def _bundle(title: str, models: list[type[BaseModel]]) -> dict[str, object]:
    """One document whose root names every model, so each becomes a generated type."""
    refs, schema = models_json_schema([(m, "validation") for m in models], title=title)
    return {
        "title": title,
        "type": "object",
        "properties": {m.__name__: refs[(m, "validation")] for m in models},
        "$defs": schema.get("$defs", {}),
    }


def schemas() -> dict[str, dict[str, object]]:
    """File name → JSON Schema document."""
    docs: dict[str, dict[str, object]] = {
        "runspec.json": runspec.RunSpec.model_json_schema(),
        "snapshot.json": snapshot.TelemetryFrame.model_json_schema(),
    }
    for name, module in MODULES.items():
        docs[f"{name}.json"] = _bundle(name.capitalize(), _models(module))
    return docs


def render(doc: dict[str, object]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    """Files in shared_schemas/json/ that differ from what the models generate now."""
    return [
        name
        for name, doc in schemas().items()
        if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != render(doc)
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        outdated = stale()
        if outdated:
            print(f"stale JSON Schema: {outdated}; run `make schemas`", file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(exist_ok=True)
    for name, doc in schemas().items():
        (OUT / name).write_text(render(doc), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
