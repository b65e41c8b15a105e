"""Sweeps: a grid of runs from one spec and one or two axes, queued beyond the server's capacity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from glassnet.api.deps import OwnerHeader, SweepsDep
from glassnet.api.errors import errors
from glassnet.api.paging import next_offset
from shared_schemas.sweeps import (
    SweepAction,
    SweepCreate,
    SweepCreated,
    SweepList,
    SweepPublic,
    SweepSummary,
)

router = APIRouter(prefix="/api/v1/sweeps", tags=["sweeps"])


@router.post("", status_code=201, responses=errors(413, 422, 429))
def create_sweep(body: SweepCreate, sweeps: SweepsDep, owner: OwnerHeader = None) -> SweepCreated:
    """Every combination of the axes' values applied to `spec` becomes a run (axis 0
    outermost). Each grid point is validated as a RunSpec: a pointer that names no field, or a
    value the spec refuses, is a 422 naming the axis (`/axes/0/pointer`, `/axes/1/values/2`),
    every problem listed. With `start`, runs start as the server has room; the rest wait in the
    sweep's queue. The `owner` token steers the sweep and each of its runs; it is shown only here."""
    public, token = sweeps.create(
        body.spec,
        [a.model_dump() for a in body.axes],
        start=body.start,
        name=body.name,
        owner=body.owner or owner,
    )
    return SweepCreated(**public, owner=token)


@router.get("", responses=errors(422))
def list_sweeps(
    sweeps: SweepsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SweepList:
    """This server's sweeps, newest first, one page at a time: each with its axes, its base
    spec in one line, its state, how many of its runs wait, train and have ended, and its best
    final loss."""
    items, total = sweeps.page(limit=limit, offset=offset)
    return SweepList(
        sweeps=[SweepSummary.model_validate(s) for s in items],
        count=len(items),
        total=total,
        next_offset=next_offset(offset, len(items), total),
    )


@router.get("/{sweep_id}", responses=errors(404))
def get_sweep(sweep_id: str, sweeps: SweepsDep) -> SweepPublic:
    """The sweep's runs with their axis values, states and final metrics."""
    return SweepPublic(**sweeps.get(sweep_id))


@router.post("/{sweep_id}/actions", responses=errors(403, 404, 409, 422))
def act(
    sweep_id: str, body: SweepAction, sweeps: SweepsDep, owner: OwnerHeader = None
) -> SweepPublic:
    """`start` a created sweep, or `stop` one: what still waits is dropped and its runs in
    flight stop. Only the owner may (header X-Glassnet-Owner)."""
    return SweepPublic(**sweeps.action(sweep_id, body.action, owner))
