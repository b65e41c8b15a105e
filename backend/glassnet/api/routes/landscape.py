"""The loss-surface lab: optimiser races on 2-D test functions."""

from __future__ import annotations

from fastapi import APIRouter

from glassnet.api.errors import errors
from shared_schemas.landscape import (
    LandscapeFunctionList,
    TrajectoryRequest,
    TrajectoryResponse,
)
from shared_schemas.runspec import OptimizerSpec

router = APIRouter(prefix="/api/v1/landscape", tags=["landscape"])


@router.get("/functions")
def list_functions() -> LandscapeFunctionList:
    """The 2-D test functions: formula, the square they are drawn on, minima, a default start."""
    from glassnet.engine.landscape import FUNCTIONS, describe

    return LandscapeFunctionList.model_validate(
        {"functions": [describe(fn) for fn in FUNCTIONS.values()]}
    )


@router.post("/trajectories", responses=errors(413, 422, 429))
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
