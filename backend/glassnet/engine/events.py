"""The events a Trainer fires, and the registry of handlers attached to them with a cadence.

In the spirit of pytorch-ignite's `Events.EPOCH_COMPLETED(every=n)` and `add_event_handler`, with
one fixed handler signature: a handler takes the trainer (what it returns is ignored), and reads
what it needs from it (the epoch's metrics row, the last step's loss, the model).

A cadence says at which counts a handler runs: `every=n` at the n-th, 2n-th… step or epoch, `once=k`
at the k-th only. Steps are counted by `step_count`, epochs by `epoch` (both from 1, as the trainer
counts them, so a resumed run keeps its cadence). A run's start and end happen once: they take no
cadence.

The registry costs nothing where nothing listens: the trainer fires step events only when a
handler is attached to them, and runs its steps in bulk up to the next step a handler is due at
(`next_due`), so a per-step handler costs the compiled path its bulk runs, and nothing else does.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Generic, TypeVar

Owner = TypeVar("Owner")


class Event(enum.StrEnum):
    """What happened to the run (counted by: the count a cadence is checked against).

    A StrEnum: its members hash as strings do, in C (a plain Enum's hash is a Python call, paid
    on every event fired)."""

    RUN_STARTED = "run_started"
    """The run's first step in this trainer is about to run (also after a resume)."""
    EPOCH_STARTED = "epoch_started"
    """An epoch is about to run: shuffled, learning rate scheduled (counted by: that epoch)."""
    STEP_COMPLETED = "step_completed"
    """A step is counted, its loss in `batch_loss` (counted by: `step_count`)."""
    EPOCH_COMPLETED = "epoch_completed"
    """An epoch ended: its row in `epoch_metrics`, validation pass done (counted by: `epoch`)."""
    LOSS_NOT_FINITE = "loss_not_finite"
    """A step's loss, or an epoch's mean loss, stopped being a number (counted by: `step_count`);
    fired before that step's or epoch's other events."""
    RUN_ENDED = "run_ended"
    """The run reached a final state (finished, diverged, stopped, failed), after the events of
    the step that ended it; fired once."""


ONCE_PER_RUN = (Event.RUN_STARTED, Event.RUN_ENDED)


class Cadence:
    """When a handler is due: at every `every`-th count, or at count `once` only."""

    __slots__ = ("every", "once")

    def __init__(self, every: int = 1, once: int | None = None) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a whole number ≥ 1 (got {every!r})")
        if once is not None:
            if isinstance(once, bool) or not isinstance(once, int) or once < 1:
                raise ValueError(f"once must be a whole number ≥ 1 (got {once!r})")
            if every != 1:
                raise ValueError("give every or once, not both")
        self.every, self.once = every, once

    def due(self, count: int) -> bool:
        """Whether a handler with this cadence runs at `count`."""
        if self.once is not None:
            return count == self.once
        return count % self.every == 0

    def next_due(self, count: int) -> int | None:
        """The first count after `count` this cadence is due at; None if it never is again."""
        if self.once is not None:
            return self.once if self.once > count else None
        return (count // self.every + 1) * self.every


class _Attached(Generic[Owner]):
    __slots__ = ("always", "cadence", "handler")

    def __init__(self, handler: Callable[[Owner], object], cadence: Cadence) -> None:
        self.handler, self.cadence = handler, cadence
        # due at every count: the run's own handlers, tested at every epoch without a call
        self.always = cadence.every == 1 and cadence.once is None


class RemovableHandle:
    """Detaches one attached handler (`remove()`; removing twice is harmless)."""

    def __init__(self, attached: list[_Attached[Any]], entry: _Attached[Any]) -> None:
        self._attached: list[_Attached[Any]] | None = attached
        self._entry: _Attached[Any] | None = entry

    def remove(self) -> None:
        """Detach the handler: it runs at no event fired after this."""
        attached, entry = self._attached, self._entry
        if attached is not None and entry is not None and entry in attached:
            attached.remove(entry)
        # a handle kept after removal holds nothing alive (a websocket's handler, its buffers)
        self._attached = self._entry = None


class EventHandlers(Generic[Owner]):
    """The handlers attached to each event, run in the order they were attached."""

    def __init__(self) -> None:
        # One list per event, made once and changed in place: `listeners` hands out the live
        # list, so the trainer tests "does anyone listen" with one truth test per step.
        self._attached: dict[Event, list[_Attached[Owner]]] = {event: [] for event in Event}

    def add(
        self,
        event: Event,
        handler: Callable[[Owner], object],
        *,
        every: int = 1,
        once: int | None = None,
    ) -> RemovableHandle:
        """Attach `handler` to `event` with a cadence (`every` n-th count, or `once` at count k).

        Raises ValueError for a cadence that is not one (every < 1, both given) or a cadence on
        an event that happens once per run."""
        cadence = Cadence(every, once)
        if event in ONCE_PER_RUN and (every != 1 or once is not None):
            raise ValueError(f"{event.value} happens once per run: it takes no cadence")
        entry = _Attached(handler, cadence)
        attached = self._attached[event]
        attached.append(entry)
        return RemovableHandle(attached, entry)

    def listeners(self, event: Event) -> list[_Attached[Owner]]:
        """The live list of `event`'s handlers: empty (false) while nobody listens."""
        return self._attached[event]

    def fire(self, event: Event, owner: Owner, count: int) -> None:
        """Run `event`'s handlers that are due at `count`, in the order they were attached."""
        attached = self._attached[event]
        if not attached:
            return
        # a copy: a handler may detach itself or attach another while they run
        for entry in tuple(attached):
            if entry.always or entry.cadence.due(count):
                entry.handler(owner)

    def next_due(self, event: Event, count: int) -> int | None:
        """The first count after `count` at which some handler of `event` is due, or None."""
        due = [entry.cadence.next_due(count) for entry in self._attached[event]]
        return min((d for d in due if d is not None), default=None)
