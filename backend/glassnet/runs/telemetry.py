"""Latest-value telemetry slots and the per-run fan-out to viewers.

A run publishes frames from its worker (or pipe reader) thread; viewers live on the server's event
loop. Publishing stores the newest encoded frame in one slot (older ones are simply dropped) and
schedules ONE callback on the loop, which wakes every viewer's sender; a viewer that is slow or
stalled just finds a newer frame in the slot next time. Training never waits for a viewer.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Frame:
    """One encoded telemetry frame (bytes shared by every viewer: one encode per frame)."""

    seq: int
    step: int
    data: bytes


class Viewer(Protocol):
    """A websocket session. Both methods are called on the event loop, never from run threads."""

    def wake(self) -> None: ...

    def push(self, message: dict[str, Any]) -> None: ...


@dataclass(slots=True)
class ViewPrefs:
    """What one viewer asked for: frame rate, channels and layers (None: all)."""

    max_hz: float = 30.0
    channels: list[str] | None = None
    layers: list[str] | None = None


@dataclass
class RunHub:
    """Telemetry slots of one run (newest frame, newest state message) and its viewers."""

    run_id: str
    latest: Frame | None = None
    state_msg: dict[str, Any] | None = None
    graph: list[dict[str, Any]] = field(default_factory=list)
    viewers: dict[Viewer, ViewPrefs] = field(default_factory=dict)
    loop: asyncio.AbstractEventLoop | None = None

    # --- from run threads ----------------------------------------------------------------

    def publish_frame(self, frame: Frame) -> None:
        # Replacing the slot is one reference assignment (atomic under the GIL): readers on
        # the loop see either the old or the new frame, never a torn one.
        """Store the newest frame and wake the viewers (any thread; never blocks)."""
        self.latest = frame
        self._call(self._wake_all)

    def publish_state(self, message: dict[str, Any]) -> None:
        """Send a run_state message to every viewer (any thread; never blocks)."""
        self.state_msg = message
        self._call(self._push_all, message)

    def _call(self, fn: Any, *args: Any) -> None:
        loop = self.loop
        if loop is None or not self.viewers:
            return
        # RuntimeError: the loop closed during shutdown, nobody is left to wake.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(fn, *args)

    # --- on the event loop ---------------------------------------------------------------

    def _wake_all(self) -> None:
        for viewer in list(self.viewers):
            viewer.wake()

    def _push_all(self, message: dict[str, Any]) -> None:
        for viewer in list(self.viewers):
            viewer.push(message)

    def add(self, viewer: Viewer, prefs: ViewPrefs) -> None:
        """Attach a viewer (on the event loop)."""
        self.loop = asyncio.get_running_loop()
        self.viewers[viewer] = prefs

    def remove(self, viewer: Viewer) -> bool:
        """Detach a viewer (on the event loop); True when it was attached."""
        return self.viewers.pop(viewer, None) is not None

    def view(self, cap_hz: float) -> tuple[float, list[str] | None, list[str] | None]:
        """What the worker must produce: the fastest viewer's rate and the union of wishes."""
        if not self.viewers:
            return 0.0, None, None
        prefs = list(self.viewers.values())
        hz = min(cap_hz, max(p.max_hz for p in prefs))
        channels = _union([p.channels for p in prefs])
        layers = _union([p.layers for p in prefs])
        return hz, channels, layers


def _union(wishes: list[list[str] | None]) -> list[str] | None:
    if any(w is None for w in wishes):
        return None
    return sorted({x for w in wishes if w is not None for x in w})
