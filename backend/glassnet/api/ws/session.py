"""One websocket connection: a receive loop for control messages and one sender task.

The sender owns the socket's writes. Control messages (welcome, graph, error) queue in order;
run_state keeps only the newest per run; telemetry is read from each run's latest-value slot, so a
slow or stalled socket only ever delays itself, and always gets the freshest frame next.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from fastapi import WebSocket
from pydantic import TypeAdapter, ValidationError

from glassnet.api.limits import Clock, TokenBuckets
from glassnet.api.ws.jsondepth import nests_deeper_than
from glassnet.api.ws.rooms import is_room_subscribe, leave_rooms, subscribe_room
from glassnet.runs import RunError, RunManager
from glassnet.runs.errors import Conflict, Forbidden, LimitExceeded, NotFound
from glassnet.runs.telemetry import RunHub, ViewPrefs
from glassnet.settings import Settings
from shared_schemas.problems import from_validation_error
from shared_schemas.ws import WS_VERSION, Ack, ClientMsg, Control, Hello, Subscribe, Unsubscribe

CLIENT_TYPES = ("hello", "subscribe", "unsubscribe", "ack", "control")
# Client messages nest two levels (a subscribe's `layers` list); 16 leaves room and stops the
# parser's recursion long before Python's limit.
MAX_JSON_DEPTH = 16
_client_msg: TypeAdapter[Any] = TypeAdapter(ClientMsg)
ERROR_CODES: dict[type[RunError], str] = {
    NotFound: "not_found",
    Forbidden: "forbidden",
    LimitExceeded: "too_many_viewers",
    Conflict: "conflict",
}


def _plain_ack(raw: dict[str, Any]) -> bool:
    seq, run_id = raw.get("seq"), raw.get("run_id")
    return (
        raw.keys() <= {"type", "v", "seq", "run_id"}
        and raw.get("v", WS_VERSION) == WS_VERSION
        and type(seq) is int
        and seq >= 0
        and (run_id is None or (type(run_id) is str and len(run_id) <= 64))
    )


class TooLarge(Exception):
    """A client message above the size limit: the socket is closed with 1009."""


@dataclass(eq=False)
class Sub:
    """One subscription of this socket: its slot, rate and frames in flight."""

    run_id: str
    hub: RunHub | None
    max_hz: float
    sent_seq: int = 0
    unacked: deque[int] = field(default_factory=deque)
    next_at: float = 0.0


class Session:
    """Viewer of any number of runs over one socket (implements runs.telemetry.Viewer)."""

    def __init__(
        self,
        ws: WebSocket,
        manager: RunManager,
        settings: Settings,
        clock: Clock = time.monotonic,
    ) -> None:
        self.ws = ws
        self.manager = manager
        self.settings = settings
        self.loop = asyncio.get_running_loop()
        self.subs: dict[str, Sub] = {}
        self.outbox: deque[dict[str, Any]] = deque()
        self.states: dict[str, dict[str, Any]] = {}
        self.event = asyncio.Event()
        self.owner: str | None = None
        self.greeted = False
        self.timer: asyncio.TimerHandle | None = None
        self.frames_sent = 0
        self.bucket = TokenBuckets(
            settings.ws_messages_per_second, settings.ws_message_burst, clock, max_keys=1
        )
        self.throttled = False  # an error was sent for the current run of dropped messages

    # --- Viewer (called on the loop) -----------------------------------------------------

    def wake(self) -> None:
        """New telemetry may be waiting: let the sender look."""
        self.event.set()

    def push(self, message: dict[str, Any]) -> None:
        """Queue a control message (run_state keeps only the newest per run)."""
        if message.get("type") == "run_state":
            self.states[message["run_id"]] = message  # newest state per run wins
        elif message.get("type") == "room_state":
            self.states["room:" + message["room"]["code"]] = message  # and per room
        else:
            self.outbox.append(message)
        self.event.set()

    def error(self, code: str, message: str, run_id: str | None = None) -> None:
        """Queue an `error` message; the socket stays open."""
        msg: dict[str, Any] = {"type": "error", "v": WS_VERSION, "code": code, "message": message}
        if run_id is not None:
            msg["run_id"] = run_id
        self.push(msg)

    # --- sender --------------------------------------------------------------------------

    async def sender(self) -> None:
        """The socket's only writer: control messages first, then the freshest frames."""
        while True:
            await self.event.wait()
            self.event.clear()
            while self.outbox:
                await self.ws.send_text(json.dumps(self.outbox.popleft()))
            while self.states:
                _, msg = self.states.popitem()
                await self.ws.send_text(json.dumps(msg))
            await self._send_frames()

    async def _send_frames(self) -> None:
        credit = self.settings.ws_credit
        for sub in list(self.subs.values()):
            frame = sub.hub.latest if sub.hub is not None else None
            if frame is None or frame.seq <= sub.sent_seq or len(sub.unacked) >= credit:
                continue  # nothing newer, or waiting for an ack (the ack wakes us)
            now = self.loop.time()
            if now < sub.next_at:
                self._wake_at(sub.next_at)
                continue
            await self.ws.send_bytes(frame.data)
            self.frames_sent += 1
            sub.sent_seq = frame.seq
            sub.unacked.append(frame.seq)
            sub.next_at = max(sub.next_at + 1.0 / sub.max_hz, now)

    def _wake_at(self, when: float) -> None:
        if self.timer is not None and self.timer.when() <= when:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.loop.call_at(when, self._timer_fired)

    def _timer_fired(self) -> None:
        self.timer = None
        self.event.set()

    # --- receiving -----------------------------------------------------------------------

    def handle_text(self, text: str) -> None:
        """Parse and dispatch one client message; problems become `error` messages."""
        if len(text) > self.settings.max_ws_message_bytes or (
            len(text.encode()) > self.settings.max_ws_message_bytes
        ):
            raise TooLarge
        if nests_deeper_than(text, MAX_JSON_DEPTH):
            self.error(
                "bad_message",
                f"the message nests more than {MAX_JSON_DEPTH} levels deep; "
                "client messages are flat JSON objects.",
            )
            return
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError):
            self.error("bad_message", "messages must be JSON objects with 'type' and 'v'.")
            return
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            self.error("bad_message", "messages must be JSON objects with 'type' and 'v'.")
            return
        if raw["type"] == "ack" and _plain_ack(raw):
            # Hot path: every viewer acks every frame (3000/s for 100 viewers at 30 Hz), so the
            # common well-formed ack skips model validation.
            self._ack(raw["seq"], raw.get("run_id"))
            return
        if not self._within_rate():
            return
        if raw.get("v", WS_VERSION) != WS_VERSION:
            self.error("unsupported_version", f"this server speaks protocol v{WS_VERSION}.")
            return
        if is_room_subscribe(raw):
            subscribe_room(self, self.ws.app.state.rooms, raw)
            return
        if raw["type"] not in CLIENT_TYPES:
            self.error(
                "unknown_type",
                f"unknown message type {raw['type']!r}; use one of {', '.join(CLIENT_TYPES)}.",
            )
            return
        try:
            msg = _client_msg.validate_python(raw)
        except ValidationError as exc:
            problems = from_validation_error(exc)
            text_ = "; ".join(f"{p.pointer or '/'}: {p.message}" for p in problems)
            self.error("bad_message", f"invalid {raw['type']}: {text_}", raw.get("run_id"))
            return
        if isinstance(msg, Hello):
            self._hello(msg)
        elif not self.greeted:
            self.error("hello_required", "send hello first.")
        else:
            try:
                self._dispatch(msg)
            except RunError as exc:
                code = next((c for cls, c in ERROR_CODES.items() if isinstance(exc, cls)), "limit")
                self.error(code, exc.message, getattr(msg, "run_id", None))

    def _within_rate(self) -> bool:
        """Take a token for one message; a dropped message is answered once per burst of them,
        so a flood gets one `error`, not one per message."""
        if self.bucket.allow():
            self.throttled = False
            return True
        if not self.throttled:
            self.throttled = True
            self.error(
                "rate_limited",
                f"too many messages: this server takes {self.settings.ws_messages_per_second:g} "
                f"per second (bursts of {self.settings.ws_message_burst}); messages are dropped "
                "until you slow down.",
            )
        return False

    def _hello(self, msg: Hello) -> None:
        self.greeted = True
        self.owner = msg.owner or self.owner
        self.push(
            {
                "type": "welcome",
                "v": WS_VERSION,
                "server": "glassnet",
                "credit": self.settings.ws_credit,
                "max_hz": self.settings.max_frame_hz,
                "max_message_bytes": self.settings.max_ws_message_bytes,
            }
        )

    def _dispatch(self, msg: Any) -> None:
        if isinstance(msg, Subscribe):
            self._subscribe(msg)
        elif isinstance(msg, Unsubscribe):
            if self.subs.pop(msg.run_id, None) is not None:
                self.manager.unsubscribe(msg.run_id, self)
        elif isinstance(msg, Ack):
            self._ack(msg.seq, msg.run_id)
        elif isinstance(msg, Control):
            public = self.manager.action(
                msg.run_id, msg.action, owner=self.owner, steps=msg.steps, lr=msg.lr
            )
            self.push(
                {
                    "type": "run_state",
                    "v": WS_VERSION,
                    "run_id": public["id"],
                    "state": public["state"],
                    "step": public["step"],
                    "epoch": public["epoch"],
                    "stop_reason": public["stop_reason"],
                    "diagnosis": public["diagnosis"],
                }
            )

    def _subscribe(self, msg: Subscribe) -> None:
        hz = min(msg.max_hz, self.settings.max_frame_hz)
        prefs = ViewPrefs(max_hz=hz, channels=msg.channels, layers=msg.layers)
        result = self.manager.subscribe(msg.run_id, self, prefs)
        hub = self.manager.hub(msg.run_id) if result.live else None
        old = self.subs.get(msg.run_id)
        self.subs[msg.run_id] = Sub(msg.run_id, hub, hz, sent_seq=old.sent_seq if old else 0)
        self.push({"type": "graph", "v": WS_VERSION, "run_id": msg.run_id, "layers": result.graph})
        self.push(result.state)

    def _ack(self, seq: int, run_id: str | None) -> None:
        """Cumulative: frames up to `seq` of that run (or of every run) are no longer in flight."""
        subs = [self.subs[run_id]] if run_id in self.subs else self.subs.values()
        credit = self.settings.ws_credit
        unblocked = False
        for sub in subs:
            held_back = len(sub.unacked) >= credit
            while sub.unacked and sub.unacked[0] <= seq:
                sub.unacked.popleft()
            unblocked |= held_back and len(sub.unacked) < credit
        if unblocked:  # only a sender that waited for credit has anything new to do
            self.event.set()

    def close(self) -> None:
        """Detach from every run (the socket is gone)."""
        if self.timer is not None:
            self.timer.cancel()
        for run_id in list(self.subs):
            self.manager.unsubscribe(run_id, self)
        self.subs.clear()
        leave_rooms(self, getattr(self.ws.app.state, "rooms", None))
