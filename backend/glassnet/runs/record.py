"""A run as the server holds it in memory, and its public views (REST, websocket)."""

from __future__ import annotations

import concurrent.futures
import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from glassnet.runs.codec import json_safe
from glassnet.runs.handles import Handle
from glassnet.runs.telemetry import RunHub
from glassnet.store import RunRow
from glassnet.store.models import utcnow
from shared_schemas.api import SpecJson
from shared_schemas.runspec import RunSpec


def owner_hash(token: str) -> str:
    """Only a hash of the owner token is kept (in memory and in the store)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(eq=False)
class Run:
    """A run this server process holds in memory (a live worker, or one that ended recently)."""

    id: str
    # What the run trains: the model validated when it was created (an upload's text in place of
    # its id, the server's device for `auto`); the worker and the Trainer receive this object.
    spec: RunSpec
    # The RunSpec document as its creator sent it (an upload by its id), never changed: what the
    # store keeps and GET /runs/{id} shows.
    document: SpecJson
    owner_hash: str
    name: str | None = None
    experiment_id: str | None = None
    state: str = "created"
    step: int = 0
    epoch: int = 0
    latest_metrics: dict[str, Any] | None = None
    stop_reason: str | None = None
    diagnosis: dict[str, Any] | None = None
    device: str | None = None  # where it trains: "cpu", "cuda:0 NVIDIA H100 …"
    executor: str | None = None  # what runs it: "process", "thread", "ray"
    checkpoint_step: int | None = None  # the step of its newest checkpoint on disk
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    ended_at: datetime | None = None  # when it reached an ended state
    handle: Handle | None = None
    hub: RunHub = field(init=False)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    unsaved: list[dict[str, Any]] = field(default_factory=list)
    last_flush: float = 0.0
    state_cmd_no: int = 0
    running_since: float | None = None
    last_activity: float = field(default_factory=time.monotonic)
    replies: dict[int, concurrent.futures.Future[Any]] = field(default_factory=dict)
    view: tuple[Any, ...] = (0.0, None, None)
    client: str | None = None  # who created it (their address), for the cap on unstarted runs
    born: float = field(default_factory=time.monotonic)  # when this server launched its worker
    # When the worker last sent an event; None until its first (a fresh process may take a while
    # to import torch, and that is not a stall).
    last_heard: float | None = None
    stalled_from: str = "running"  # the state a stalled run returns to when its worker answers

    def __post_init__(self) -> None:
        self.hub = RunHub(self.id)

    def public(self) -> dict[str, Any]:
        """The RunPublic fields."""
        return {
            "id": self.id,
            "name": self.name,
            "experiment_id": self.experiment_id,
            "state": self.state,
            "step": self.step,
            "epoch": self.epoch,
            "latest_metrics": self.latest_metrics,
            "stop_reason": self.stop_reason,
            "diagnosis": json_safe(self.diagnosis),
            "device": self.device,
            "executor": self.executor,
            "checkpoint_step": self.checkpoint_step,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "ended_at": self.ended_at,
        }

    def state_message(self) -> dict[str, Any]:
        """The websocket run_state message."""
        return {
            "type": "run_state",
            "v": 1,
            "run_id": self.id,
            "state": self.state,
            "step": self.step,
            "epoch": self.epoch,
            "stop_reason": self.stop_reason,
            "diagnosis": json_safe(self.diagnosis),
        }


def row_public(row: RunRow) -> dict[str, Any]:
    """Public view of a stored run."""
    return {
        "id": row.id,
        "name": row.name,
        "experiment_id": row.experiment_id,
        "state": row.state,
        "step": row.step,
        "epoch": row.epoch,
        "latest_metrics": row.latest_metrics,
        "stop_reason": row.stop_reason,
        "diagnosis": row.diagnosis,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "ended_at": row.ended_at,
    }


@dataclass(frozen=True)
class Subscription:
    """What a new viewer gets first: the layer table and the run's state."""

    graph: list[dict[str, Any]]
    state: dict[str, Any]
    live: bool
