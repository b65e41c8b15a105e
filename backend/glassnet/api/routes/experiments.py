"""Saved experiments: a name and a spec, under a short shareable id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from glassnet.api.deps import StoreDep
from glassnet.api.errors import errors
from glassnet.runs import NotFound
from glassnet.store import ExperimentRow
from shared_schemas.api import (
    ExperimentCreate,
    ExperimentList,
    ExperimentPublic,
    ExperimentUpdate,
)

router = APIRouter(prefix="/api/v1/experiments", tags=["experiments"])


def _public(row: ExperimentRow) -> ExperimentPublic:
    return ExperimentPublic.model_validate(row, from_attributes=True)


def _found(row: ExperimentRow | None, experiment_id: str) -> ExperimentRow:
    if row is None:
        raise NotFound(f"no experiment with id {experiment_id!r}")
    return row


@router.post("", status_code=201, responses=errors(413, 422, 429))
def create_experiment(body: ExperimentCreate, store: StoreDep) -> ExperimentPublic:
    """Save a spec under a name; the answer's `id` is short and shareable."""
    return _public(store.create_experiment(body.name, body.spec))


@router.get("", responses=errors(422))
def list_experiments(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ExperimentList:
    """Saved experiments, most recently updated first."""
    rows = [_public(r) for r in store.list_experiments(limit=limit, offset=offset)]
    return ExperimentList(experiments=rows, count=len(rows))


@router.get("/{experiment_id}", responses=errors(404))
def get_experiment(experiment_id: str, store: StoreDep) -> ExperimentPublic:
    """One saved experiment by its short id."""
    return _public(_found(store.get_experiment(experiment_id), experiment_id))


@router.put("/{experiment_id}", responses=errors(404, 413, 422))
def update_experiment(
    experiment_id: str, body: ExperimentUpdate, store: StoreDep
) -> ExperimentPublic:
    """Rename and/or replace the spec."""
    row = store.update_experiment(experiment_id, body.name, body.spec)
    return _public(_found(row, experiment_id))


@router.delete("/{experiment_id}", status_code=204, responses=errors(404))
def delete_experiment(experiment_id: str, store: StoreDep) -> Response:
    """Delete a saved experiment."""
    if not store.delete_experiment(experiment_id):
        raise NotFound(f"no experiment with id {experiment_id!r}")
    return Response(status_code=204)
