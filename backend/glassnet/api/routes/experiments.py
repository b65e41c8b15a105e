"""Saved experiments: a name and a spec, under a short shareable id.

Anyone with the id may read an experiment and fork it (open it, save a copy); only the holder of
its owner token may rename, replace or delete it, as with runs.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Query, Response

from glassnet.api.deps import ManagerDep, OwnerHeader, SettingsDep, StoreDep
from glassnet.api.errors import errors
from glassnet.api.paging import next_offset
from glassnet.runs import Forbidden, NotFound
from glassnet.runs.record import owner_hash
from glassnet.runs.specs import check_spec
from glassnet.store import ExperimentRow, Store
from shared_schemas.api import (
    ExperimentCreate,
    ExperimentCreated,
    ExperimentList,
    ExperimentPublic,
    ExperimentUpdate,
    SpecJson,
)

router = APIRouter(prefix="/api/v1/experiments", tags=["experiments"])


def _is_owner(row: ExperimentRow, token: str | None) -> bool:
    return (
        token is not None
        and row.owner_hash is not None
        and secrets.compare_digest(owner_hash(token), row.owner_hash)
    )


def _public(row: ExperimentRow, token: str | None = None) -> ExperimentPublic:
    return ExperimentPublic(
        id=row.id,
        name=row.name,
        spec=row.spec,
        mine=_is_owner(row, token),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _found(row: ExperimentRow | None, experiment_id: str) -> ExperimentRow:
    if row is None:
        raise NotFound(f"no experiment with id {experiment_id!r}")
    return row


def _owned(store: Store, experiment_id: str, token: str | None) -> ExperimentRow:
    """The experiment, when `token` owns it; 404 or 403 (saying why) otherwise."""
    row = _found(store.get_experiment(experiment_id), experiment_id)
    if row.owner_hash is None:
        raise Forbidden(
            "this experiment was saved before experiments had owners, so nobody may change it; "
            "open it and save a copy of your own."
        )
    if token is None:
        raise Forbidden(
            "only the experiment's owner may change it: send the owner token (header "
            "X-Glassnet-Owner) returned when it was saved, or save a copy of your own."
        )
    if not _is_owner(row, token):
        raise Forbidden("the owner token does not match this experiment; save a copy instead.")
    return row


def _checked(spec: SpecJson, settings: SettingsDep, manager: ManagerDep) -> None:
    """A saved spec must be one a run could start from (422 with every problem otherwise)."""
    check_spec(spec, settings, manager.uploads.read, prefix=("spec",))


@router.post("", status_code=201, responses=errors(413, 422, 429))
def create_experiment(
    body: ExperimentCreate,
    store: StoreDep,
    settings: SettingsDep,
    manager: ManagerDep,
    owner: OwnerHeader = None,
) -> ExperimentCreated:
    """Save a spec under a name; the answer's `id` is short and shareable. The answer's `owner`
    token (yours when you sent one) is needed to rename or delete it; it is shown only here."""
    _checked(body.spec, settings, manager)
    token = body.owner or owner or secrets.token_urlsafe(18)
    row = store.create_experiment(body.name, body.spec, owner_hash(token))
    return ExperimentCreated(**_public(row, token).model_dump(), owner=token)


@router.get("", responses=errors(403, 422))
def list_experiments(
    store: StoreDep,
    owner: OwnerHeader = None,
    mine: Annotated[bool, Query(description="only the X-Glassnet-Owner token's own")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ExperimentList:
    """Saved experiments, most recently updated first, one page at a time. Each says whether
    the request's X-Glassnet-Owner token owns it (`mine`)."""
    if mine and owner is None:
        raise Forbidden("`mine=true` lists one owner's experiments: send X-Glassnet-Owner.")
    only = owner_hash(owner) if mine and owner is not None else None
    rows = [_public(r, owner) for r in store.list_experiments(limit, offset, only)]
    total = store.count_experiments(only)
    return ExperimentList(
        experiments=rows,
        count=len(rows),
        total=total,
        next_offset=next_offset(offset, len(rows), total),
    )


@router.get("/{experiment_id}", responses=errors(404, 422))
def get_experiment(
    experiment_id: str, store: StoreDep, owner: OwnerHeader = None
) -> ExperimentPublic:
    """One saved experiment by its short id (anyone with the id may read and fork it)."""
    return _public(_found(store.get_experiment(experiment_id), experiment_id), owner)


@router.put("/{experiment_id}", responses=errors(403, 404, 413, 422, 429))
def update_experiment(
    experiment_id: str,
    body: ExperimentUpdate,
    store: StoreDep,
    settings: SettingsDep,
    manager: ManagerDep,
    owner: OwnerHeader = None,
) -> ExperimentPublic:
    """Rename and/or replace the spec (the owner only: header X-Glassnet-Owner)."""
    _owned(store, experiment_id, owner)
    if body.spec is not None:
        _checked(body.spec, settings, manager)
    row = store.update_experiment(experiment_id, body.name, body.spec)
    return _public(_found(row, experiment_id), owner)


@router.delete("/{experiment_id}", status_code=204, responses=errors(403, 404, 422))
def delete_experiment(experiment_id: str, store: StoreDep, owner: OwnerHeader = None) -> Response:
    """Delete a saved experiment (the owner only: header X-Glassnet-Owner)."""
    _owned(store, experiment_id, owner)
    if not store.delete_experiment(experiment_id):
        raise NotFound(f"no experiment with id {experiment_id!r}")
    return Response(status_code=204)
