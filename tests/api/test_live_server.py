"""Against a real uvicorn on loopback: a real websocket client (websockets) and the Python client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from apihelpers import long_spec, tiny_spec, wait_for
from live import LiveServer
from websockets.asyncio.client import connect

from glassnet.client import GlassnetClient, GlassnetError
from glassnet.runs.codec import decode_frame


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield live
    live.stop()


async def _watch(url: str, run_id: str, owner: str, n: int) -> list[dict]:  # type: ignore[type-arg]
    frames = []
    async with connect(url, compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "owner": owner}))
        assert json.loads(await ws.recv())["type"] == "welcome"
        await ws.send(json.dumps({"type": "subscribe", "v": 1, "run_id": run_id, "max_hz": 60}))
        async for msg in ws:
            if isinstance(msg, bytes):
                frame = decode_frame(msg)
                frames.append(frame)
                await ws.send(json.dumps({"type": "ack", "v": 1, "seq": frame["seq"]}))
                if len(frames) == n:
                    await ws.send(
                        json.dumps({"type": "control", "v": 1, "run_id": run_id, "action": "stop"})
                    )
            elif len(frames) >= n and json.loads(msg).get("state") == "stopped":
                return frames
    return frames


def test_real_websocket_client_streams_and_steers(server: LiveServer) -> None:
    client = GlassnetClient(server.url)
    run = client.create_run(long_spec(), start=True)
    frames = asyncio.run(
        asyncio.wait_for(
            _watch(server.url.replace("http", "ws") + "/ws/v1", run.id, run.owner, 5), 60
        )
    )
    assert len(frames) >= 5
    assert all(f["run"] == run.id for f in frames)
    assert client.wait(run.id).state == "stopped"


def test_python_client_round_trip(server: LiveServer, tmp_path: Path) -> None:
    client = GlassnetClient(server.url)
    run = client.create_run(tiny_spec(epochs=4), start=True)
    final = client.wait(run.id)
    assert final.state == "finished" and final.epoch == 4
    assert len(client.metrics(run.id)) == 4
    frame = client.snapshot(run.id)
    assert frame["run"] == run.id
    assert client.diagnosis(run.id) == [d["message"] for d in frame["diagnostics"]]
    split = frame["predictions"]["split"]
    examples = client.examples(run.id, split, limit=3)
    assert examples["labels"] == [e["target"] for e in frame["predictions"]["examples"][:3]]
    path = client.export(run.id, "safetensors", tmp_path / "model.safetensors")
    assert path.stat().st_size > 0
    slice_ = client.landscape(run.id, resolution=3)
    assert [p["step"] for p in slice_["path"]][-1] == final.step and len(slice_["loss"]) == 3
    exp = client.create_experiment("xor", tiny_spec())
    assert client.get_experiment(exp["id"])["name"] == "xor"
    assert client.update_experiment(exp["id"], name="xor again")["name"] == "xor again"
    with pytest.raises(GlassnetError) as refused:  # a client without the token may not
        GlassnetClient(server.url).delete_experiment(exp["id"])
    assert refused.value.status == 403
    client.delete_experiment(exp["id"])
    trace = client.trace(
        {
            "network": {
                "nodes": [
                    {"id": "x", "kind": "input", "shape": [1]},
                    {"id": "y", "kind": "dense", "units": 1, "weights": [[2.0]], "bias": [0.0]},
                ]
            },
            "inputs": [[1.0]],
            "targets": [[1.0]],
        }
    )
    assert trace["layers"][0]["z"] == [[2.0]]


def test_rate_limits_count_each_client_a_trusted_proxy_names(tmp_path: Path) -> None:
    # The server trusts 127.0.0.1 (the default), so a local reverse proxy's X-Forwarded-For
    # decides whose bucket a call draws from. One token per 1000 s: however slow the machine,
    # the bucket does not refill while the test runs, so the counts are exact.
    env = {"GLASSNET_RATE_LIMIT_PER_SECOND": "0.001", "GLASSNET_RATE_LIMIT_BURST": "5"}
    live = LiveServer(tmp_path, env=env).start()
    try:
        with httpx.Client(base_url=live.url) as http:

            def status(client: str) -> int:
                return http.get("/api/v1/presets", headers={"X-Forwarded-For": client}).status_code

            codes = [status("203.0.113.7") for _ in range(8)]
            assert codes == [200] * 5 + [429] * 3
            assert status("203.0.113.8") == 200  # another student behind the same proxy
    finally:
        live.stop()


def test_a_run_deleted_while_training_in_its_process_is_gone(server: LiveServer) -> None:
    client = GlassnetClient(server.url)
    run = client.create_run(long_spec(), start=True)
    client.wait(run.id, states=frozenset({"running"}), timeout=60)
    wait_for(lambda: client.get_run(run.id).step > 0, "the run to train")
    client.delete_run(run.id)
    with pytest.raises(GlassnetError) as gone:
        client.get_run(run.id)
    assert gone.value.status == 404
    assert run.id not in {r.id for r in client.list_runs(500)}
    # Its slot is free again: another run trains to its end.
    again = client.create_run(tiny_spec(epochs=2), start=True)
    assert client.wait(again.id, timeout=60).state == "finished"
