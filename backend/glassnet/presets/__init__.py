"""Lecture presets: named RunSpecs shipped as JSON files beside this module.

Each file is {"id", "title", "description", "teaches", "mode", "spec"} and optionally "look_at";
`mode` is "textbook" (a worked example to step through with the exact numbers of the book) or
"train" (a demo to run); `look_at` says which view to watch and what it shows while the run trains.
Textbook presets also carry `trace`: keyword arguments for `trace_spec` that the book's numbers
need (e.g. {"reduction": "sum"} where the book sums a cross-entropy batch gradient).
`errata.json` lists where the lectures' printed numbers differ from the correct ones.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SUMMARY_KEYS = ("id", "title", "description", "teaches", "mode", "look_at")
ERRATA_FILE = "errata.json"


@cache
def _load_all() -> dict[str, dict[str, Any]]:
    presets: dict[str, dict[str, Any]] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json") or entry.name == ERRATA_FILE:
            continue
        preset = json.loads(entry.read_text(encoding="utf-8"))
        presets[preset["id"]] = preset
    return presets


def list_presets() -> list[dict[str, Any]]:
    """Every preset's id, title, description, teaches, mode and look_at (None where it has none;
    no spec), sorted by id."""
    return [{k: p.get(k) for k in SUMMARY_KEYS} for p in _load_all().values()]


def get_preset(preset_id: str) -> dict[str, Any]:
    """One preset with its RunSpec (a fresh copy). Raises KeyError for an unknown id."""
    presets = _load_all()
    if preset_id not in presets:
        raise KeyError(f"no preset with id {preset_id!r}")
    return json.loads(json.dumps(presets[preset_id]))


def errata() -> list[dict[str, Any]]:
    """Where a lecture slide prints a wrong value: example, quantity, slide and correct value."""
    text = resources.files(__name__).joinpath(ERRATA_FILE).read_text(encoding="utf-8")
    return list(json.loads(text))
