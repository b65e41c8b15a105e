"""Commands on their way to a worker: a bounded queue whose `put` never blocks the caller.

The event loop posts commands; the worker thread (thread executor) or a sender thread (process
executor, which may block on a full pipe while the worker is busy or stopped) takes them. While the
worker is not reading, viewer-change commands are coalesced: a new `view` replaces the one still
waiting (only the newest union of viewers' wishes matters) and `frame_now` waits at most once.
Other commands are bounded: a full queue refuses them with `QueueFull`, except `stop`, `close` and
`kill`, which end the worker and so always get through (as do the coalesced ones: one of each at
most).
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any, Final

COALESCED: Final = frozenset({"view", "frame_now"})
ALWAYS_ACCEPTED: Final = frozenset({"stop", "close", "kill"})
DEFAULT_LIMIT: Final = 64

Command = tuple[Any, ...]


class QueueFull(Exception):
    """The worker has not taken its commands for a while: this one is refused."""


class CommandQueue:
    """Thread-safe FIFO of commands for one worker (also the thread executor's inbox)."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self.coalesced = 0  # commands replaced by a newer one of the same kind
        self._items: deque[Command] = deque()
        self._ready = threading.Condition()

    def put(self, cmd: Command) -> None:
        """Queue `cmd` at once (coalescing viewer changes); raises QueueFull when full."""
        op = cmd[0]
        with self._ready:
            if op in COALESCED:
                for i, waiting in enumerate(self._items):
                    if waiting[0] == op:
                        self._items[i] = cmd  # keeps its place; the worker orders by number
                        self.coalesced += 1
                        return
            # Viewer changes wait at most once each, so they need no room of their own.
            if op not in ALWAYS_ACCEPTED | COALESCED and len(self._items) >= self.limit:
                raise QueueFull(
                    f"the run's worker has {len(self._items)} commands waiting; try again once "
                    "it has caught up."
                )
            self._items.append(cmd)
            self._ready.notify()

    def get(self, timeout: float | None) -> Command | None:
        """The oldest command; waits up to `timeout` seconds (None: forever, 0: not at all)."""
        with self._ready:
            if timeout != 0:
                self._ready.wait_for(lambda: bool(self._items), timeout)
            return self._items.popleft() if self._items else None

    def pending(self) -> bool:
        """True when a command is waiting."""
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)
