"""Websocket /ws/v1 through TestClient: protocol, telemetry frames, acks, control, errors."""

import json
from typing import Any

import pytest
from apihelpers import Runs, long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from glassnet.runs.codec import decode_frame
from shared_schemas.snapshot import TelemetryFrame


def hello(ws: Any, owner: str | None = None) -> dict[str, Any]:
    ws.send_json({"type": "hello", "v": 1, **({"owner": owner} if owner else {})})
    welcome = ws.receive_json()
    assert welcome["type"] == "welcome"
    return welcome


def next_text(ws: Any, type_: str, skipped: list[bytes] | None = None) -> dict[str, Any]:
    """Skip binary frames (kept in `skipped`) and other messages until one of `type_` arrives."""
    for _ in range(1000):
        msg = ws.receive()
        if msg.get("text"):
            body = json.loads(msg["text"])
            if body["type"] == type_:
                return body
        elif skipped is not None:
            skipped.append(msg["bytes"])
    raise AssertionError(f"no {type_} message")


def next_frame(ws: Any) -> dict[str, Any]:
    for _ in range(1000):
        msg = ws.receive()
        if msg.get("bytes"):
            return decode_frame(msg["bytes"])
    raise AssertionError("no telemetry frame")


def test_subscribe_receives_graph_state_and_frames(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec(), start=True)
    with client.websocket_connect("/ws/v1") as ws:
        welcome = hello(ws)
        assert welcome["credit"] >= 1
        ws.send_json({"type": "subscribe", "v": 1, "run_id": run["id"], "max_hz": 60})
        assert next_text(ws, "graph")["run_id"] == run["id"]
        frames = []
        for _ in range(5):
            frame = next_frame(ws)
            assert frame["type"] == "tel" and frame["run"] == run["id"]
            frames.append(frame)
            ws.send_json({"type": "ack", "v": 1, "seq": frame["seq"]})
        seqs = [f["seq"] for f in frames]
        assert seqs == sorted(seqs) and len(set(seqs)) == 5
        assert frames[-1]["layers"][0]["id"] == "h"
        TelemetryFrame.model_validate(frames[-1])
        runs.act(run, "stop")


def test_credit_limits_unacked_frames(client: TestClient, runs: Runs, settings) -> None:  # type: ignore[no-untyped-def]
    run = runs.create(long_spec(), start=True)
    with client.websocket_connect("/ws/v1") as ws:
        credit = hello(ws)["credit"]
        ws.send_json({"type": "subscribe", "v": 1, "run_id": run["id"], "max_hz": 60})
        got = [next_frame(ws) for _ in range(credit)]
        # Without an ack no further frame comes before the pause's run_state (messages are ordered).
        runs.act(run, "pause")
        skipped: list[bytes] = []
        state = next_text(ws, "run_state", skipped)
        assert state["run_id"] == run["id"]
        assert skipped == []
        ws.send_json({"type": "ack", "v": 1, "seq": got[-1]["seq"]})
        assert next_frame(ws)["seq"] > got[-1]["seq"]
        runs.act(run, "stop")


def test_control_needs_the_owner(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec())
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_json({"type": "control", "v": 1, "run_id": run["id"], "action": "start"})
        assert next_text(ws, "error")["code"] == "forbidden"
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws, owner=run["owner"])
        ws.send_json({"type": "control", "v": 1, "run_id": run["id"], "action": "step", "steps": 2})
        assert next_text(ws, "run_state")["state"] == "paused"
        ws.send_json({"type": "control", "v": 1, "run_id": run["id"], "action": "stop"})
        assert next_text(ws, "run_state")["state"] == "stopped"
        ws.send_json({"type": "control", "v": 1, "run_id": run["id"], "action": "resume"})
        assert next_text(ws, "error")["code"] == "conflict"


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"type": "subscribe", "v": 1, "run_id": "x"}, "hello_required"),
        ({"type": "warp", "v": 1}, "unknown_type"),
        ({"type": "hello", "v": 2}, "unsupported_version"),
        ({"v": 1}, "bad_message"),
    ],
)
def test_bad_messages_get_errors_and_keep_the_socket(
    client: TestClient, message: dict[str, Any], code: str
) -> None:
    with client.websocket_connect("/ws/v1") as ws:
        ws.send_json(message)
        assert next_text(ws, "error")["code"] == code
        hello(ws)  # still open


def test_invalid_fields_and_unknown_runs(client: TestClient) -> None:
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_text("not json")
        assert next_text(ws, "error")["code"] == "bad_message"
        ws.send_json({"type": "subscribe", "v": 1, "run_id": "r", "max_hz": 500})
        err = next_text(ws, "error")
        assert err["code"] == "bad_message" and "max_hz" in err["message"]
        ws.send_json({"type": "subscribe", "v": 1, "run_id": "nope"})
        assert next_text(ws, "error")["code"] == "not_found"
        ws.send_bytes(b"\x00")
        assert next_text(ws, "error")["code"] == "bad_message"


def test_oversized_message_closes_with_1009(client: TestClient) -> None:
    with client.websocket_connect("/ws/v1") as ws:
        ws.send_text("x" * (64 * 1024 + 1))
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1009


def test_viewer_cap_is_enforced(client: TestClient, runs: Runs, settings) -> None:  # type: ignore[no-untyped-def]
    settings.max_viewers_per_run = 1
    run = runs.create(tiny_spec())
    with client.websocket_connect("/ws/v1") as a, client.websocket_connect("/ws/v1") as b:
        hello(a)
        hello(b)
        a.send_json({"type": "subscribe", "v": 1, "run_id": run["id"]})
        next_text(a, "run_state")
        b.send_json({"type": "subscribe", "v": 1, "run_id": run["id"]})
        assert next_text(b, "error")["code"] == "too_many_viewers"


def test_paused_run_sends_a_fresh_frame_on_subscribe(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec())
    runs.act(run, "step", steps=4)
    runs.wait_state(run["id"], "paused")
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_json({"type": "subscribe", "v": 1, "run_id": run["id"], "channels": ["metrics"]})
        frame = next_frame(ws)
        assert frame["run"] == run["id"]
        ws.send_json({"type": "unsubscribe", "v": 1, "run_id": run["id"]})
        hello(ws)


def test_disconnect_detaches_the_viewer(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec(), start=True)
    manager = client.app.state.manager  # type: ignore[attr-defined]
    for _ in range(3):
        with client.websocket_connect("/ws/v1") as ws:
            hello(ws)
            ws.send_json({"type": "subscribe", "v": 1, "run_id": run["id"], "max_hz": 60})
            next_frame(ws)
            assert len(manager.hub(run["id"]).viewers) == 1
    wait_for(lambda: not manager.hub(run["id"]).viewers, "viewer detached")
    # No viewer left: the run takes no more snapshots (its frame rate is back to 0).
    assert manager._runs[run["id"]].view[0] == 0.0
    runs.act(run, "stop")


def test_one_client_chosen_token_steers_all_its_runs(client: TestClient) -> None:
    token = "tab-4f9a2c7e"
    ids = [
        client.post("/api/v1/runs", json={"spec": long_spec(), "owner": token}).json()["id"]
        for _ in range(2)
    ]
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws, owner=token)
        for run_id in ids:
            ws.send_json({"type": "control", "v": 1, "run_id": run_id, "action": "stop"})
            state = next_text(ws, "run_state")
            assert (state["run_id"], state["state"]) == (run_id, "stopped")


def test_deeply_nested_json_gets_an_error_and_keeps_the_socket(client: TestClient) -> None:
    with client.websocket_connect("/ws/v1") as ws:
        ws.send_text("[" * 32_000 + "]" * 32_000)
        err = next_text(ws, "error")
        assert err["code"] == "bad_message" and "levels deep" in err["message"]
        hello(ws)  # still open


def test_deep_nesting_inside_a_message_gets_an_error(client: TestClient) -> None:
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        nested = "[" * 5000 + "]" * 5000
        ws.send_text('{"type": "subscribe", "v": 1, "run_id": "r", "layers": ' + nested + "}")
        assert "levels deep" in next_text(ws, "error")["message"]
        hello(ws)


def test_a_message_flood_gets_one_error_and_the_socket_keeps_streaming(
    client: TestClient, runs: Runs, settings
) -> None:  # type: ignore[no-untyped-def]
    # One token per 1000 s: the bucket cannot refill during the test, whatever the machine.
    settings.ws_messages_per_second = 0.001
    settings.ws_message_burst = 2
    run = runs.create(long_spec(), start=True)
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_json({"type": "subscribe", "v": 1, "run_id": run["id"], "max_hz": 60})
        next_text(ws, "graph")
        for _ in range(50):
            ws.send_json({"type": "unsubscribe", "v": 1, "run_id": "other"})
        frames: list[bytes] = []
        err = next_text(ws, "error", skipped=frames)
        assert err["code"] == "rate_limited"
        if frames:  # frames that came first are acknowledged, so credit is not what stops them
            seq = max(decode_frame(f)["seq"] for f in frames)
            ws.send_json({"type": "ack", "v": 1, "seq": seq, "run_id": run["id"]})
        # Acks are not counted: the subscription keeps streaming fresh frames.
        for _ in range(3):
            frame = next_frame(ws)
            ws.send_json({"type": "ack", "v": 1, "seq": frame["seq"], "run_id": run["id"]})
        errors = []
        ws.send_json({"type": "hello", "v": 1})  # still dropped, and no second error
        for _ in range(3):
            msg = ws.receive()
            if msg.get("text"):
                errors.append(json.loads(msg["text"]))
            else:
                ws.send_json({"type": "ack", "v": 1, "seq": decode_frame(msg["bytes"])["seq"]})
        assert [e for e in errors if e.get("type") == "error"] == []
        runs.act(run, "stop")


def test_viewers_of_a_deleted_run_hear_that_it_ended(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec(), start=True)
    with client.websocket_connect("/ws/v1") as ws:
        hello(ws)
        ws.send_json({"type": "subscribe", "v": 1, "run_id": run["id"], "max_hz": 60})
        next_frame(ws)
        r = client.delete(f"/api/v1/runs/{run['id']}", headers={"X-Glassnet-Owner": run["owner"]})
        assert r.status_code == 204
        states = [next_text(ws, "run_state")]
        while states[-1]["state"] != "stopped" and len(states) < 10:
            states.append(next_text(ws, "run_state"))
        ended = states[-1]
        assert ended["run_id"] == run["id"]
        assert ended["stop_reason"] == "the run was deleted by its owner"
