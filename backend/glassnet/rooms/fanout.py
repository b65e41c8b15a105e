"""Room-state fan-out: every change reaches every subscriber without waiting for any of them.

A subscriber is anything with `push(message)` that only queues (the websocket session keeps the
newest `room_state` per room and sends it from its own task), so one slow student never delays the
others. Changes are made in worker threads; delivery happens on the event loop.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Protocol


class Subscriber(Protocol):
    def push(self, message: dict[str, Any]) -> None: ...


class RoomFanout:
    """Who follows which room, and delivery of `room_state` messages to them."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscriber]] = {}
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop that owns the subscribers (set when the server starts)."""
        self.loop = loop

    def join(self, code: str, sub: Subscriber) -> None:
        with self._lock:
            self._subs.setdefault(code, set()).add(sub)

    def leave(self, sub: Subscriber) -> None:
        """Forget a subscriber in every room (its socket closed)."""
        with self._lock:
            for code in [c for c, subs in self._subs.items() if sub in subs]:
                self._subs[code].discard(sub)
                if not self._subs[code]:
                    del self._subs[code]

    def count(self, code: str) -> int:
        with self._lock:
            return len(self._subs.get(code, ()))

    def publish(self, code: str, message: dict[str, Any]) -> None:
        """Deliver to every subscriber of the room, on the loop (callable from any thread)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(code, message)
        else:
            loop.call_soon_threadsafe(self._deliver, code, message)

    def _deliver(self, code: str, message: dict[str, Any]) -> None:
        with self._lock:
            subs = list(self._subs.get(code, ()))
        for sub in subs:
            sub.push(message)
