"""The websocket session's own limits, driven directly with a stepped clock."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from glassnet.api.ws.session import MAX_JSON_DEPTH, Session
from glassnet.settings import Settings


class SteppedClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _session(clock: SteppedClock, rate: float = 2.0, burst: int = 3) -> Session:
    settings = Settings(ws_messages_per_second=rate, ws_message_burst=burst)

    async def make() -> Session:
        # no socket or manager is touched by hello and by unsubscribing from nothing
        return Session(None, None, settings, clock=clock)  # type: ignore[arg-type]

    return asyncio.run(make())


def _sent(session: Session) -> list[dict[str, Any]]:
    out = list(session.outbox)
    session.outbox.clear()
    return out


HELLO = json.dumps({"type": "hello", "v": 1})
UNSUB = json.dumps({"type": "unsubscribe", "v": 1, "run_id": "r"})
ACK = json.dumps({"type": "ack", "v": 1, "seq": 1})


def test_messages_beyond_the_burst_are_dropped_with_one_error() -> None:
    session = _session(SteppedClock())
    for _ in range(10):
        session.handle_text(HELLO)
    sent = _sent(session)
    assert [m["type"] for m in sent] == ["welcome"] * 3 + ["error"]
    assert sent[-1]["code"] == "rate_limited"


def test_the_bucket_refills_with_the_clock() -> None:
    clock = SteppedClock()
    session = _session(clock)
    for _ in range(5):
        session.handle_text(HELLO)
    _sent(session)
    clock.now += 1.0  # two tokens at 2 per second
    for _ in range(3):
        session.handle_text(HELLO)
    assert [m["type"] for m in _sent(session)] == ["welcome", "welcome", "error"]


def test_acks_are_not_counted() -> None:
    session = _session(SteppedClock(), burst=1)
    session.handle_text(HELLO)
    for _ in range(100):
        session.handle_text(ACK)
    assert [m["type"] for m in _sent(session)] == ["welcome"]
    assert session.throttled is False


def test_nesting_at_the_limit_is_parsed_and_beyond_it_refused() -> None:
    session = _session(SteppedClock(), burst=100)
    session.handle_text(HELLO)
    _sent(session)
    depth_ok = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    session.handle_text('{"type": "unsubscribe", "v": 1, "run_id": ' + depth_ok + "}")
    first = _sent(session)
    assert "levels deep" not in first[0]["message"]  # refused for its type, not its depth
    too_deep = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    session.handle_text('{"type": "unsubscribe", "v": 1, "run_id": ' + too_deep + "}")
    assert "levels deep" in _sent(session)[0]["message"]


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    session = _session(SteppedClock(), burst=100)
    session.handle_text(json.dumps({"type": "hello", "v": 1, "client": "[" * 100}))
    assert [m["type"] for m in _sent(session)] == ["welcome"]
