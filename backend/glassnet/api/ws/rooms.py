"""Websocket `subscribe {"room": code}`: the room's `room_state` now and after every change.

The session joins the room's fan-out; the fan-out only queues into the session (which keeps the
newest `room_state` per room), so a slow student never delays the others.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import ValidationError

from glassnet.rooms import RoomService
from glassnet.runs import RunError
from shared_schemas.problems import from_validation_error
from shared_schemas.rooms import RoomSubscribe
from shared_schemas.ws import WS_VERSION


class RoomViewer(Protocol):
    greeted: bool

    def push(self, message: dict[str, Any]) -> None: ...

    def error(self, code: str, message: str, run_id: str | None = None) -> None: ...


def is_room_subscribe(raw: dict[str, Any]) -> bool:
    """A `subscribe` that names a room rather than a run."""
    return raw.get("type") == "subscribe" and "room" in raw


def subscribe_room(session: RoomViewer, rooms: RoomService, raw: dict[str, Any]) -> None:
    """Validate, join the room's fan-out and send the current state (errors stay on the socket)."""
    if not session.greeted:
        session.error("hello_required", "send hello first.")
        return
    try:
        msg = RoomSubscribe.model_validate(raw)
    except ValidationError as exc:
        text = "; ".join(f"{p.pointer or '/'}: {p.message}" for p in from_validation_error(exc))
        session.error("bad_message", f"invalid subscribe: {text}")
        return
    try:
        state = rooms.state(msg.room)
    except RunError as exc:
        session.error("not_found", exc.message)
        return
    rooms.fanout.join(state.code, session)
    session.push({"type": "room_state", "v": WS_VERSION, "room": state.model_dump(mode="json")})


def leave_rooms(session: object, rooms: RoomService | None) -> None:
    """The socket closed: stop delivering room states to it."""
    if rooms is not None:
        rooms.fanout.leave(session)  # type: ignore[arg-type]
