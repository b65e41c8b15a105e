"""Runs: create, list, read, steer, metrics history and the latest telemetry frame."""

from __future__ import annotations

import contextlib
import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from glassnet.api.deps import ManagerDep, OwnerHeader, SweepsDep
from glassnet.api.errors import errors
from glassnet.api.paging import next_offset
from glassnet.rooms.names import normalize_code
from glassnet.runs import NotFound
from glassnet.runs.specs import resolve_upload
from glassnet.store import RunFilter
from shared_schemas.api import (
    MetricsPublic,
    RunAction,
    RunCreate,
    RunCreated,
    RunExamples,
    RunList,
    RunPublic,
    RunState,
)
from shared_schemas.snapshot import TelemetryFrame

router = APIRouter(prefix="/api/v1/runs", tags=["runs"])
METRIC_COLUMNS = ("step", "epoch", "loss", "val_loss", "accuracy", "val_accuracy", "lr")


@router.post("", status_code=201, responses=errors(413, 422, 429))
def create_run(
    body: RunCreate, request: Request, manager: ManagerDep, owner: OwnerHeader = None
) -> RunCreated:
    """Create a run from a RunSpec (`start: true` starts it). The response's `owner` token is
    needed to steer the run; it is shown only here. A client may hold only a few runs created
    and not started (429 beyond); a run not started soon after its creation is stopped."""
    public, token = manager.create(
        body.spec,
        start=body.start,
        name=body.name,
        owner=body.owner or owner,
        experiment_id=body.experiment_id,
        # The peer address, or the client a trusted proxy names (uvicorn's proxy headers).
        client=request.client.host if request.client else None,
    )
    return RunCreated(**public, owner=token)


@router.get("", responses=errors(404, 422))
def list_runs(
    manager: ManagerDep,
    sweeps: SweepsDep,
    state: Annotated[
        list[RunState] | None, Query(description="only runs in these states (repeat for several)")
    ] = None,
    room: Annotated[
        str | None, Query(max_length=12, description="only runs forked in this classroom room")
    ] = None,
    sweep: Annotated[
        str | None, Query(max_length=32, description="only this sweep's runs, in grid order")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    owner: OwnerHeader = None,
) -> RunList:
    """The runs this server holds, newest first (a sweep's in grid order), one page at a time:
    each with a one-line summary of its spec, what changed from the run its owner created before
    it, its latest (for an ended run, final) metrics, and whether the X-Glassnet-Owner token owns
    it (`mine`)."""
    if sweep is not None:
        held = []
        for run_id in sweeps.run_ids(sweep):
            with contextlib.suppress(NotFound):  # a run deleted since
                held.append(RunPublic.model_validate(manager.get(run_id)))
        total = len(held)
        runs = held[offset : offset + limit]
    else:
        where = RunFilter(states=tuple(state or ()), room=normalize_code(room) if room else None)
        items, total = manager.list_runs(where, limit=limit, offset=offset, owner=owner)
        runs = [RunPublic.model_validate(r) for r in items]
    return RunList(
        runs=runs,
        count=len(runs),
        total=total,
        next_offset=next_offset(offset, len(runs), total),
    )


@router.get("/{run_id}", responses=errors(404))
def get_run(run_id: str, manager: ManagerDep) -> RunPublic:
    """State, step, epoch, latest metrics, stop reason and diagnosis, and the spec."""
    return RunPublic(**manager.get(run_id, with_spec=True))


@router.delete("/{run_id}", status_code=204, responses=errors(403, 404, 422))
def delete_run(run_id: str, manager: ManagerDep, owner: OwnerHeader = None) -> Response:
    """Delete a run and its files (final weights, last frame, checkpoints); only its owner may
    (header X-Glassnet-Owner). A live run is ended first. The run is 404 afterwards."""
    manager.delete(run_id, owner=owner)
    return Response(status_code=204)


@router.post("/{run_id}/actions", responses=errors(403, 404, 409, 413, 422, 429))
def act(run_id: str, body: RunAction, manager: ManagerDep, owner: OwnerHeader = None) -> RunPublic:
    """start, pause, resume, step (`steps` iterations), epoch (one epoch), stop, or set_lr (`lr`).
    Only the owner may: send header X-Glassnet-Owner (or `owner` in the body)."""
    public = manager.action(
        run_id, body.action, owner=body.owner or owner, steps=body.steps, lr=body.lr
    )
    return RunPublic(**public)


def metrics_csv(rows: list[dict[str, Any]]) -> str:
    """Metric rows as CSV text with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=METRIC_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@router.get(
    "/{run_id}/metrics",
    responses={**errors(404, 422), 200: {"content": {"text/csv": {}}}},
    response_model=MetricsPublic,
)
def get_metrics(run_id: str, manager: ManagerDep, format: Literal["json", "csv"] = "json") -> Any:
    """The loss/accuracy history (JSON, or CSV with `?format=csv`)."""
    rows = manager.metrics(run_id)
    if format == "csv":
        return Response(
            metrics_csv(rows),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{run_id}-metrics.csv"'},
        )
    return MetricsPublic(run_id=run_id, metrics=rows)


@router.get(
    "/{run_id}/snapshot",
    responses={**errors(404, 409), 200: {"model": TelemetryFrame, "description": "the frame"}},
)
async def get_snapshot(run_id: str, manager: ManagerDep) -> dict[str, Any]:
    """The latest full telemetry frame as JSON (same content as a websocket `tel` frame): the
    frame kept when it shows the run as it is, else a fresh one from the run's worker (waiting
    at most a moment; the latest frame kept when the worker is busy or stalled)."""
    return await manager.snapshot(run_id)


@router.get("/{run_id}/examples", responses=errors(404, 422))
def get_examples(
    run_id: str,
    manager: ManagerDep,
    split: Literal["val", "train"] = "val",
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> RunExamples:
    """The first `limit` examples of the run's validation (or training) split, unscaled, in
    split order: the inputs behind the snapshot's `predictions.examples` (`index` is the
    position here). Images as base64 uint8 pixels, other data as table rows."""
    from glassnet.data import examples
    from shared_schemas.runspec import DataSpec

    spec = resolve_upload(manager.spec_of(run_id), manager.uploads.read)
    rows = examples(DataSpec.model_validate(spec["data"]), spec.get("seed", 0), split, limit)
    return RunExamples.model_validate(rows)
