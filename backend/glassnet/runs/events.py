"""What a run's worker tells the server: one small frozen record per kind of event.

The worker (runs/worker.py) emits them; the executors carry them unchanged (a queue, a process
pipe, a Ray actor: each pickles them) and the manager dispatches on their type. `Exited` is the
last event of every worker: the executor reports it itself when the worker died without one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class Ready:
    """The trainer is built: its layer table (the websocket `graph` message) and where it is."""

    graph: list[dict[str, Any]]
    step: int
    epoch: int


@dataclass(frozen=True, slots=True)
class StateChanged:
    """The run's state as the worker sees it, with the newest command number it has handled
    (the manager ignores a state that a newer accepted command has superseded)."""

    state: str
    reason: str | None
    diagnosis: dict[str, Any] | None
    step: int
    epoch: int
    cmd_no: int


@dataclass(frozen=True, slots=True)
class Progress:
    """Where training is, its latest metrics, and the metric rows recorded since the last one."""

    step: int
    epoch: int
    latest: dict[str, Any] | None
    rows: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class FrameTaken:
    """A snapshot as plain data; the server encodes it once for every viewer."""

    seq: int
    step: int
    frame: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to a request command (snapshot, state_dict, landscape): its payload when `ok`,
    else why it failed, in words."""

    req_id: int
    ok: bool
    payload: Any


@dataclass(frozen=True, slots=True)
class FinalWeights:
    """Every parameter as a numpy array, once, when the run ends (for exports after the fact)."""

    weights: dict[str, np.ndarray]


@dataclass(frozen=True, slots=True)
class ParameterPath:
    """θ at the run's start and epoch ends, for a network small enough to slice (the loss
    landscape after the fact)."""

    steps: np.ndarray
    theta: np.ndarray


@dataclass(frozen=True, slots=True)
class Checkpointed:
    """A checkpoint of this step is on disk (from the writer thread)."""

    step: int
    epoch: int


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """The worker (its process) is alive, even inside a long step."""


@dataclass(frozen=True, slots=True)
class Exited:
    """The worker ended; `cause` says why when it died (reported by the executor)."""

    cause: str | None = None


WorkerEvent = (
    Ready
    | StateChanged
    | Progress
    | FrameTaken
    | Reply
    | FinalWeights
    | ParameterPath
    | Checkpointed
    | Heartbeat
    | Exited
)
Emit = Callable[[WorkerEvent], None]
HEARTBEAT = Heartbeat()


def pump_events(receive: Callable[[], Iterable[WorkerEvent]], on_event: Emit) -> Exited:
    """Hand everything `receive` brings (a queue, a pipe, an actor's pull) to `on_event`, in
    order, until the worker's `Exited`, which is returned, not handed on: the executor first
    releases what the worker held, then reports the exit itself."""
    while True:
        for event in receive():
            if isinstance(event, Exited):
                return event
            on_event(event)
