"""A run whose worker process is stopped (SIGSTOP) holds up nobody else: the event loop never
writes into a worker's pipe, so health checks, other runs' frames and other viewers go on."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from apihelpers import Runs, long_spec, wait_for
from fastapi.testclient import TestClient

from glassnet.api import create_app
from glassnet.runs.codec import decode_frame
from glassnet.settings import Settings

# Near the 64 KiB message limit: two such view changes fill a pipe's buffer.
LONG_NAME = "x" * 230


def hello(ws: Any) -> None:
    ws.send_json({"type": "hello", "v": 1})
    assert ws.receive_json()["type"] == "welcome"


def next_frame(ws: Any) -> dict[str, Any]:
    for _ in range(1000):
        msg = ws.receive()
        if msg.get("bytes"):
            return decode_frame(msg["bytes"])
    raise AssertionError("no telemetry frame")


def count_text(ws: Any, type_: str, n: int) -> int:
    """Read messages until `n` of `type_` came (frames and other messages skipped)."""
    seen = 0
    for _ in range(10_000):
        msg = ws.receive()
        if msg.get("text") and f'"type": "{type_}"' in msg["text"]:
            seen += 1
            if seen == n:
                return seen
    return seen


@pytest.fixture
def process_client(tmp_path: Path) -> Any:
    settings = Settings(
        data_dir=tmp_path,
        executor="process",
        device="cpu",
        static_dir=tmp_path / "no-frontend",
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
        # The stopped worker is not declared stalled during this test: only the loop is tested.
        run_stall_seconds=600,
        run_stall_kill_seconds=1200,
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.slow
def test_a_stopped_worker_delays_neither_health_nor_other_runs(process_client: TestClient) -> None:
    runs = Runs(process_client)
    victim = runs.create(long_spec(), start=True)
    other = runs.create(long_spec(), start=True)
    for run in (victim, other):
        wait_for(lambda run=run: runs.get(run["id"])["step"] > 0, "both runs training")
    manager = process_client.app.state.manager  # type: ignore[attr-defined]
    pid = manager._runs[victim["id"]].handle.process.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        with (
            process_client.websocket_connect("/ws/v1") as watcher,
            process_client.websocket_connect("/ws/v1") as flooder,
        ):
            hello(watcher)
            hello(flooder)
            watcher.send_json({"type": "subscribe", "v": 1, "run_id": other["id"], "max_hz": 60})
            # Each subscribe changes what the stopped worker must draw: a view command each.
            for i in range(8):
                layers = [f"{i}-{j}-{LONG_NAME}" for j in range(256)]
                flooder.send_json(
                    {"type": "subscribe", "v": 1, "run_id": victim["id"], "layers": layers}
                )
            assert count_text(flooder, "graph", 8) == 8  # every subscribe was answered

            health = [process_client.get("/healthz").status_code for _ in range(20)]
            assert health == [200] * 20
            steps = []
            for _ in range(20):
                frame = next_frame(watcher)
                assert frame["run"] == other["id"]
                steps.append(frame["step"])
                watcher.send_json({"type": "ack", "v": 1, "seq": frame["seq"]})
            assert steps == sorted(steps) and steps[-1] > steps[0]  # the other run trains on
            # A view change or two went into the pipe, one blocks the run's sender thread, and
            # the one waiting in the queue stood in for those after it.
            commands = manager._runs[victim["id"]].handle.commands
            assert len(commands) <= 1 and commands.coalesced >= 4, vars(commands)
    finally:
        os.kill(pid, signal.SIGCONT)
    runs.act(victim, "stop")
    runs.wait_state(victim["id"], "stopped")
