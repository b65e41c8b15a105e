"""A class on one server: loopback clients doing what students do, for a bounded time.

Starts `glassnet serve` (default settings, process executor) on a free loopback port. Each client
(an asyncio task of this process, with its own X-Forwarded-For address so that it has its own rate
limit and run caps, as students behind a reverse proxy do) repeats until the time is up: upload a
small CSV, create and start a run (on a 429, for the server's cap of active runs, it watches another
student's run instead), watch it on the websocket at 30 Hz for a few seconds, fork it (read its spec,
create a new run from it, which is then stopped), save it as an experiment, and stop its run.

Reported, at the start (first sample after the clients began) and the end: the server's RSS with
its worker processes, the worker count, the server's open files and threads; over the whole load:
p50/p95 REST latency per call kind and overall, the share of answers by status, and frames per
second of every watch session in the first and last third of the time (min, p5, median), counted
while the watched run trains (a session ends when its run stops: another student's run may be
stopped by its owner mid-watch; those sessions are counted apart), and what the last frame of each
session said held its rate down (none, the budget, or a shared core), with one such note.
Targets: nothing grows without bound; p95 < 200 ms; every viewer >= 20 frames/s. Frames are kept to
a share of each run's own CPU time (GLASSNET_FRAME_SHARE, 0.05 by default): when a class's runs
share two cores, a run gets a fifth of one and its viewer a fifth of the frames; `--frame-share 0.3`
serves as a class server would be set up (each run trains slower, its viewers get more frames).
The clients run in this process, on the same cores as the server. Prints ONE JSON object.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 120] [--watch 4] [--frame-share 0.3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import msgpack
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).parent))
from fanout import frame_header, tanh_mlp_spec
from serving import free_port, worker_pids

from glassnet.settings import Settings

SPEC = tanh_mlp_spec(("h",), {"dataset": "circle", "n": 200, "noise": 0.1}, epochs=100_000)
CSV = "a,b,label\n" + "".join(f"{i % 7},{(i * 3) % 11},{i % 2}\n" for i in range(200))
HZ = 30.0


class Load:
    """What every client records."""

    def __init__(self, t0: float, seconds: float) -> None:
        self.t0, self.seconds = t0, seconds
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter[str] = Counter()
        self.sessions: list[tuple[float, float]] = []  # (start offset, frames per second)
        self.live: list[str] = []  # runs someone is training, for those who got a 429
        self.frame_notes: Counter[str] = Counter()  # why frames were slowed: none, budget, core
        self.note_example: str | None = None
        self.ended_watches = 0  # sessions cut short because the run stopped training

    async def call(self, http: httpx.AsyncClient, kind: str, method: str, url: str, **kw: Any):
        start = time.perf_counter()
        try:
            r = await http.request(method, url, **kw)
        except httpx.RemoteProtocolError:
            # The server closed a kept-alive connection as the request went out (its keep-alive
            # limit): counted, and sent again on a new connection, as a browser does.
            self.status[f"{kind} reconnect"] += 1
            r = await http.request(method, url, **kw)
        self.latency[kind].append(time.perf_counter() - start)
        self.status[f"{kind} {r.status_code}"] += 1
        return r


async def watch(ws_url: str, run_id: str, seconds: float, load: Load) -> None:
    """One watch session at 30 Hz, acking every frame; records its frames per second while the
    run trains (its owner may stop it during the session: what comes after is not a frame rate)."""
    frames = 0
    last: bytes | None = None
    start = time.monotonic()
    async with connect(ws_url, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1}))
        await ws.send(json.dumps({"type": "subscribe", "v": 1, "run_id": run_id, "max_hz": HZ}))
        end = start + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await asyncio.wait_for(ws.recv(), left)
            except TimeoutError:
                break
            if isinstance(msg, bytes):
                frames, last = frames + 1, msg
                seq, _ = frame_header(msg)
                await ws.send(json.dumps({"type": "ack", "v": 1, "seq": seq}))
            elif '"run_state"' in msg and json.loads(msg).get("state") != "running":
                load.ended_watches += 1
                break
    watched = time.monotonic() - start
    if last is not None:  # what the run's budget said of the session's last frame
        note = msgpack.unpackb(last).get("frame_note")
        why = "shared core" if note and "% of a core" in note else "budget" if note else "none"
        load.frame_notes[why] += 1
        if note:
            load.note_example = note
    if watched >= 1.0:  # a second at least: a rate from one or two frames says nothing
        load.sessions.append((start - load.t0, frames / watched))


async def student(n: int, base: str, load: Load, deadline: float, watch_s: float) -> None:
    headers = {"X-Forwarded-For": f"10.1.{n // 250}.{n % 250 + 1}"}
    ws_url = base.replace("http", "ws") + "/ws/v1"
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        await asyncio.sleep(random.uniform(0, 3))  # students do not press at the same instant
        while time.monotonic() < deadline:
            await load.call(
                http, "upload", "POST", "/api/v1/datasets", content=CSV,
                headers={"Content-Type": "text/csv"},
            )  # fmt: skip
            r = await load.call(
                http, "create", "POST", "/api/v1/runs", json={"spec": SPEC, "start": True}
            )
            mine = r.json() if r.status_code == 201 else None
            if mine is not None:
                load.live.append(mine["id"])
            watched = mine["id"] if mine else (random.choice(load.live) if load.live else None)
            if watched is not None:
                await watch(ws_url, watched, watch_s, load)
                await load.call(http, "get", "GET", f"/api/v1/runs/{watched}")
            if mine is None:
                await asyncio.sleep(1)
                continue
            owner = {"X-Glassnet-Owner": mine["owner"]}
            spec = (await load.call(http, "get", "GET", f"/api/v1/runs/{mine['id']}")).json()[
                "spec"
            ]
            fork = await load.call(http, "create", "POST", "/api/v1/runs", json={"spec": spec})
            if fork.status_code == 201:
                await load.call(
                    http, "action", "POST", f"/api/v1/runs/{fork.json()['id']}/actions",
                    json={"action": "stop"}, headers={"X-Glassnet-Owner": fork.json()["owner"]},
                )  # fmt: skip
            await load.call(
                http, "experiment", "POST", "/api/v1/experiments",
                json={"name": f"student {n}", "spec": spec},
            )  # fmt: skip
            await load.call(
                http, "action", "POST", f"/api/v1/runs/{mine['id']}/actions",
                json={"action": "stop"}, headers=owner,
            )  # fmt: skip
            load.live.remove(mine["id"])


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def server_sample(pid: int) -> dict[str, Any]:
    """RSS of the server and its workers, worker count, the server's open files and threads."""
    workers = worker_pids(pid)
    return {
        "server_rss_mb": round(_rss_mb(pid), 1),
        "workers_rss_mb": round(sum(_rss_mb(c) for c in workers), 1),
        "workers": len(workers),
        "open_files": len(os.listdir(f"/proc/{pid}/fd")),
        "threads": len(os.listdir(f"/proc/{pid}/task")),
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def fps_summary(rates: list[float]) -> dict[str, Any]:
    if not rates:
        return {"sessions": 0}
    return {
        "sessions": len(rates),
        "min": round(min(rates), 1),
        "p5": round(_pct(rates, 0.05), 1),
        "median": round(statistics.median(rates), 1),
    }


async def run_load(base: str, pid: int, clients: int, seconds: float, watch_s: float) -> dict:
    t0 = time.monotonic()
    load = Load(t0, seconds)
    deadline = t0 + seconds
    tasks = [asyncio.create_task(student(n, base, load, deadline, watch_s)) for n in range(clients)]
    await asyncio.sleep(min(15.0, seconds / 4))
    start = server_sample(pid)
    done, pending = await asyncio.wait(tasks, timeout=seconds + 120)
    for task in pending:
        task.cancel()
    errors = [repr(t.exception()) for t in done if t.exception() is not None]
    end = server_sample(pid)
    # Once the clients are gone: what stays held when nobody trains any more.
    await asyncio.sleep(5)
    idle = server_sample(pid)
    every = [x for values in load.latency.values() for x in values]
    third = seconds / 3
    return {
        "clients": clients,
        "seconds": seconds,
        "server_start": start,
        "server_end": end,
        "server_after_clients_left": idle,
        "rest_ms": {
            kind: {
                "n": len(v),
                "p50": round(1000 * _pct(v, 0.5), 1),
                "p95": round(1000 * _pct(v, 0.95), 1),
            }
            for kind, v in sorted(load.latency.items())
        },
        "rest_p95_ms": round(1000 * _pct(every, 0.95), 1),
        "answers": dict(sorted(load.status.items())),
        "frames_per_viewer_start": fps_summary([r for s, r in load.sessions if s < third]),
        "frames_per_viewer_end": fps_summary([r for s, r in load.sessions if s >= 2 * third]),
        "watches_ended_by_the_run": load.ended_watches,
        "frame_notes": dict(load.frame_notes),
        "frame_note_example": load.note_example,
        "client_errors": errors[:5],
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--watch", type=float, default=4.0, help="seconds of each watch session")
    parser.add_argument(
        "--frame-share",
        type=float,
        default=None,
        help="the server's GLASSNET_FRAME_SHARE (default: the server's own, 0.05); a class "
        "server whose runs share few cores raises it, e.g. 0.3",
    )
    args = parser.parse_args()
    if not (1 <= args.clients <= 500 and 5 <= args.seconds <= 1800):
        parser.error("--clients 1..500, --seconds 5..1800")
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GLASSNET_DATA_DIR": data_dir, "GLASSNET_DEVICE": "cpu"}
        env.pop("GLASSNET_EXECUTOR", None)
        if args.frame_share is not None:
            env["GLASSNET_FRAME_SHARE"] = str(args.frame_share)
        frame_share = float(env.get("GLASSNET_FRAME_SHARE", Settings().frame_share))
        server = subprocess.Popen(
            [sys.executable, "-m", "glassnet.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            result = asyncio.run(run_load(base, server.pid, args.clients, args.seconds, args.watch))
            result["frame_share"] = frame_share
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
