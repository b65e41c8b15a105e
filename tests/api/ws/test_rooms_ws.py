"""Websocket `subscribe {"room": code}`: `room_state` now and after every change, to everyone."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from roomhelpers import Room

from glassnet.rooms.fanout import RoomFanout
from shared_schemas.rooms import RoomStateMsg


def hello(ws: Any) -> None:
    ws.send_json({"type": "hello", "v": 1})
    assert ws.receive_json()["type"] == "welcome"


def next_room_state(ws: Any) -> dict[str, Any]:
    for _ in range(100):
        msg = ws.receive_json()
        if msg["type"] == "room_state":
            return dict(msg["room"])
    raise AssertionError("no room_state")


def test_subscribe_to_a_room_sends_its_state(client: TestClient) -> None:
    room = Room(client, title="Week 3")
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_json({"type": "subscribe", "v": 1, "room": room.code.lower()})
        msg = ws.receive_json()
        RoomStateMsg.model_validate(msg)
        assert msg["room"]["code"] == room.code and msg["room"]["title"] == "Week 3"


def test_every_subscriber_gets_each_change(client: TestClient) -> None:
    room = Room(client)
    with client.websocket_connect("/ws/v1") as a, client.websocket_connect("/ws/v1") as b:
        for ws in (a, b):
            hello(ws)
            ws.send_json({"type": "subscribe", "v": 1, "room": room.code})
            next_room_state(ws)
        room.patch(locked=["training"], view="boundary")
        for ws in (a, b):
            state = next_room_state(ws)
            assert state["locked"] == ["training"] and state["view"] == "boundary"
        room.join()
        for ws in (a, b):
            assert next_room_state(ws)["students"] == 1
        qid = room.ask()
        for ws in (a, b):
            assert next_room_state(ws)["question"]["id"] == qid


def test_unknown_room_is_an_error_and_the_socket_stays_open(client: TestClient) -> None:
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_json({"type": "subscribe", "v": 1, "room": "AAAAAA"})
        err = ws.receive_json()
        assert err["type"] == "error" and err["code"] == "not_found"
        ws.send_json({"type": "subscribe", "v": 1, "room": "no!"})
        err = ws.receive_json()
        assert err["type"] == "error" and err["code"] == "bad_message"
        assert "/room" in err["message"]


def test_room_subscribe_needs_hello_first(client: TestClient) -> None:
    room = Room(client)
    with client.websocket_connect("/ws/v1") as ws:
        ws.send_json({"type": "subscribe", "v": 1, "room": room.code})
        assert ws.receive_json()["code"] == "hello_required"


class Recorder:
    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []

    def push(self, message: dict[str, Any]) -> None:
        self.got.append(message)


def test_fanout_forgets_a_subscriber_that_left() -> None:
    fanout = RoomFanout()
    stay, gone = Recorder(), Recorder()
    fanout.join("ROOM", stay)
    fanout.join("ROOM", gone)
    fanout.leave(gone)
    fanout._deliver("ROOM", {"type": "room_state"})
    assert len(stay.got) == 1 and gone.got == []
    assert fanout.count("ROOM") == 1


def test_a_stalled_student_never_delays_the_others_and_keeps_only_the_newest_state() -> None:
    import asyncio

    from glassnet.api.ws.session import Session
    from glassnet.settings import Settings

    class StalledSocket:
        """A socket whose writes never finish (a student's laptop that stopped reading)."""

        async def send_text(self, _text: str) -> None:
            await asyncio.Event().wait()

    async def scenario() -> tuple[int, list[int], int]:
        fanout = RoomFanout()
        fanout.bind(asyncio.get_running_loop())
        stalled = Session(StalledSocket(), None, Settings())  # type: ignore[arg-type]
        stalled.greeted = True
        sender = asyncio.create_task(stalled.sender())
        reader = Recorder()
        fanout.join("ROOM", stalled)
        fanout.join("ROOM", reader)
        for revision in range(1, 101):
            state = {"code": "ROOM", "revision": revision}
            fanout.publish("ROOM", {"type": "room_state", "v": 1, "room": state})
            await asyncio.sleep(0)
        sender.cancel()
        queued = [m["room"]["revision"] for m in stalled.states.values()]
        return len(reader.got), queued, len(stalled.outbox)

    delivered, queued, outbox = asyncio.run(scenario())
    assert delivered == 100  # every change reached the student who reads
    # the stalled socket holds one message (the one being written) plus only the newest state
    assert queued == [100] and outbox == 0
