"""The runs this server holds in memory, and the checks on who may hold and steer how many."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable

from glassnet.runs.errors import Forbidden, LimitExceeded
from glassnet.runs.record import Run, owner_hash
from glassnet.runs.state import LIVE
from glassnet.settings import Settings


class RunRegistry:
    """The run table and its lock, and the capacity and ownership checks made under it.

    `lock` guards `runs` and the mutable fields of every Run across the threads that touch them
    (API calls on the event loop, each run's event thread, the janitor). Nothing waits on a
    worker while holding it.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runs: dict[str, Run] = {}
        self.lock = threading.RLock()
        self._numbers = itertools.count(1)
        # Runs deleted while held here: their worker's last events are ignored (no row, no file
        # may come back after the deletion).
        self.deleted: set[str] = set()
        # Runs that take frames for their history while nobody watches (a sweep's runs); every
        # run records the frames its viewers get, and its last one.
        self.recorded: set[str] = set()
        # Called (under the lock: keep them short) when a run gives its slot back: a queue of
        # runs waiting for capacity (a sweep) can launch its next one.
        self.slot_listeners: list[Callable[[], None]] = []

    def next_number(self) -> int:
        """A fresh number for a command or a request (one sequence: their order is theirs)."""
        return next(self._numbers)

    def slot_freed(self) -> None:
        """A run gave its slot back (call under the lock)."""
        for listener in self.slot_listeners:
            listener()

    def check_capacity(self) -> None:
        """LimitExceeded when the server already holds as many runs as it may."""
        # An ended run whose worker has not exited yet (a process still importing torch when its
        # run was stopped) still holds a process: counting it keeps the processes bounded.
        held = sum(1 for r in self.runs.values() if r.state in LIVE or r.handle is not None)
        if held >= self.settings.max_active_runs:
            raise LimitExceeded(
                f"this server runs at most {self.settings.max_active_runs} runs at once; stop or "
                "wait for one to finish."
            )

    def check_unstarted(self, client: str | None) -> None:
        """A client may hold only a few runs it created and never started (each takes a slot)."""
        cap = self.settings.max_unstarted_runs_per_client
        waiting = sum(1 for r in self.runs.values() if r.state == "created" and r.client == client)
        if client is not None and waiting >= cap:
            raise LimitExceeded(
                f"you already have {waiting} runs created and not started (at most {cap}); "
                "start or stop one of them first. A run not started within "
                f"{self.settings.unstarted_run_seconds:g} s is stopped and gives its slot back."
            )


def check_owner(expected_hash: str, token: str | None) -> None:
    """Forbidden unless `token` is the owner token whose hash is `expected_hash`."""
    if token is None:
        raise Forbidden(
            "only the run's owner may steer it: send the owner token "
            "(header X-Glassnet-Owner) returned when the run was created."
        )
    if not secrets.compare_digest(owner_hash(token), expected_hash):
        raise Forbidden("the owner token does not match this run.")
