"""Compare: several runs side by side, with their layers' histograms on shared bins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from glassnet.api.deps import ManagerDep
from glassnet.api.errors import errors
from glassnet.runs.compare import compare_runs
from shared_schemas.sweeps import Comparison

router = APIRouter(prefix="/api/v1/compare", tags=["compare"])


@router.get("", responses=errors(422))
def compare(
    manager: ManagerDep,
    runs: Annotated[str, Query(max_length=400, description="2 to 8 run ids, comma-separated")],
    step: Annotated[
        int | None,
        Query(ge=0, description="the step to compare at (default: the latest every run reached)"),
    ] = None,
) -> Comparison:
    """Loss and accuracy histories of 2–8 runs and, per layer (matched by id), the W, z, a and δ
    histograms of every run on shared bin edges at one step: each run shows its nearest
    recorded step at or before `step` and says which (`step_shown`)."""
    ids = [r.strip() for r in runs.split(",") if r.strip()]
    return Comparison(**compare_runs(manager, ids, step))
