"""The loss-surface lab: optimiser races on 2-D test functions, and a run's own landscape."""

from __future__ import annotations

from fastapi import APIRouter

from glassnet.api.deps import ManagerDep
from glassnet.api.errors import errors
from shared_schemas.landscape import (
    LandscapeFunctionList,
    NetworkLandscape,
    NetworkLandscapeRequest,
    TrajectoryRequest,
    TrajectoryResponse,
)
from shared_schemas.runspec import OptimizerSpec

router = APIRouter(prefix="/api/v1", tags=["landscape"])


@router.get("/landscape/functions")
def list_functions() -> LandscapeFunctionList:
    """The 2-D test functions: formula, the square they are drawn on, minima, a default start."""
    from glassnet.engine.landscape import FUNCTIONS, describe

    return LandscapeFunctionList.model_validate(
        {"functions": [describe(fn) for fn in FUNCTIONS.values()]}
    )


@router.post("/landscape/trajectories", responses=errors(413, 422, 429))
def post_trajectories(body: TrajectoryRequest) -> TrajectoryResponse:
    """Each optimiser's path with f and its internal state per step, by the training code, in float64."""
    from glassnet.engine.landscape import race

    mapped = body.momentum_map
    result = race(
        body.function,
        body.start,
        body.steps,
        body.optimizers,
        condition_number=body.condition_number,
        mode=body.mode,
        map_setting=None if mapped is None else OptimizerSpec(**mapped.model_dump()),
        surface_resolution=body.surface_resolution,
    )
    return TrajectoryResponse.model_validate(result)


@router.post("/runs/{run_id}/landscape", responses=errors(404, 409, 413, 422, 429))
async def post_run_landscape(
    run_id: str, manager: ManagerDep, body: NetworkLandscapeRequest | None = None
) -> NetworkLandscape:
    """The run's training loss on a plane through its current parameters, spanned by two
    filter-normalised random directions or by its path's two principal directions, with its
    path (the start, then epoch ends) projected on it. For networks of up to 5,000 parameters;
    anyone may look (it does not change the run)."""
    request = body or NetworkLandscapeRequest()
    answer = await manager.landscape(run_id, request.model_dump())
    return NetworkLandscape.model_validate(answer)
