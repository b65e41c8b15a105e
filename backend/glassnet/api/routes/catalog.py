"""What networks can be built from (catalog), the lecture presets and their errata."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from glassnet.api.errors import errors
from glassnet.runs import NotFound
from shared_schemas.api import Catalog, Preset, PresetList, PresetSummary

router = APIRouter(prefix="/api/v1", tags=["catalog"])
ERRATA = Path(__file__).resolve().parents[2] / "presets" / "errata.json"


@router.get("/catalog")
def get_catalog() -> Catalog:
    """Every layer kind, activation, initialiser, optimiser, schedule, loss and dataset."""
    from glassnet.data import catalog as data_catalog
    from glassnet.engine import catalog as engine_catalog

    # A round trip through JSON turns anything not JSON-able (an unset default) into null.
    engine = json.loads(json.dumps(engine_catalog(), default=lambda _: None))
    return Catalog(**engine, datasets=data_catalog())


def _as_dict(preset: Any) -> dict[str, Any]:
    return preset.model_dump(mode="json") if hasattr(preset, "model_dump") else dict(preset)


@router.get("/presets")
def list_presets() -> PresetList:
    """The named lecture presets (without their specs; fetch one for its spec)."""
    from glassnet.presets import list_presets as presets

    out = []
    for p in presets():
        d = _as_dict(p)
        d.pop("spec", None)
        out.append(PresetSummary(**d))
    return PresetList(presets=out)


@router.get("/presets/{preset_id}", responses=errors(404))
def get_preset(preset_id: str) -> Preset:
    """One preset: a RunSpec with a title and a description."""
    from glassnet.presets import get_preset as preset

    try:
        found = preset(preset_id)
    except (KeyError, LookupError, FileNotFoundError):
        found = None
    if found is None:
        raise NotFound(f"no preset with id {preset_id!r}")
    return Preset(**_as_dict(found))


@router.get("/errata", responses=errors(404))
def get_errata() -> Any:
    """Corrections to the lecture's printed numbers, found while reproducing them."""
    if not ERRATA.is_file():
        raise NotFound("no errata are published")
    return json.loads(ERRATA.read_text(encoding="utf-8"))
