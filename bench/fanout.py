"""Telemetry fan-out benchmark: one training run on a real server, 1, 10 and 100 websocket viewers.

Starts `glassnet serve` on a free loopback port (process executor, the default, then thread),
creates a small MLP run on the spiral set, and measures for each viewer count: frames per second
each viewer receives (asking for 30 Hz), delay from snapshot (`t` in the frame) to receipt
(p50/p95), training steps per second relative to the same run with no viewers, and bytes per frame.
Rounds cycle through the viewer counts (0, 1, 10, 100); the median round of each is reported, and
training_relative is the median over rounds of each round's steps/s over that round's no-viewer
steps/s.
The viewers run in this process and only read each frame's header and ack it (a class's viewers
decode on their own laptops). On the process executor, where the machine has two cores or more, the
run's worker gets the first core and the server and the viewers the others
(`serving.pin_runs_apart`), so training_relative is what the server's fan-out takes from the run.
Prints ONE JSON object.

    .venv/bin/python bench/fanout.py [--seconds 3] [--rounds 3] [--executors process,thread]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from typing import Any

import httpx
import msgpack
from serving import cpu_seconds, pin_runs_apart, served, steps_now
from websockets.asyncio.client import connect


def tanh_mlp_spec(hidden: tuple[str, ...], data: dict[str, Any], **training: Any) -> dict[str, Any]:
    """The small network the fan-out and load benchmarks train: 2 inputs, tanh layers of 8 units
    (one per id in `hidden`) and one sigmoid output, on `data`, with BCE and SGD at α = 0.1."""
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                *({"id": h, "kind": "dense", "units": 8, "activation": "tanh"} for h in hidden),
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
        "data": data,
        "training": {"loss": "bce", "optimizer": {"kind": "sgd", "lr": 0.1}, **training},
    }


SPEC = tanh_mlp_spec(
    ("h1", "h2"),
    # enough examples that the run trains through every phase (the compiled path does ~100k steps/s)
    {"dataset": "spiral", "n": 5000, "noise": 0.1},
    batch_size=10,
    epochs=100000,
)
HZ = 30.0
VIEWER_COUNTS = (0, 1, 10, 100)


def frame_header(data: bytes) -> tuple[int, float]:
    """seq and t of a msgpack frame without building the rest of it."""
    unpacker = msgpack.Unpacker(raw=False)
    unpacker.feed(data)
    seq, t = 0, 0.0
    for _ in range(unpacker.read_map_header()):
        key = unpacker.unpack()
        if key == "seq":
            seq = unpacker.unpack()
        elif key == "t":
            t = unpacker.unpack()
        else:
            unpacker.skip()
    return seq, t


class Stats:
    def __init__(self) -> None:
        self.frames = 0
        self.bytes = 0
        self.delays: list[float] = []
        self.measuring = False
        self.first = asyncio.Event()


async def viewer(url: str, run_id: str, stats: Stats) -> None:
    async with connect(url, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1}))
        await ws.send(json.dumps({"type": "subscribe", "v": 1, "run_id": run_id, "max_hz": HZ}))
        async for msg in ws:
            if isinstance(msg, bytes):
                now = time.time()
                seq, t = frame_header(msg)
                stats.first.set()
                if stats.measuring:
                    stats.frames += 1
                    stats.bytes += len(msg)
                    stats.delays.append(now - t)
                await ws.send(json.dumps({"type": "ack", "v": 1, "seq": seq}))


async def watched(url: str, run_id: str) -> tuple[Stats, asyncio.Task[None]]:
    """One viewer of `run_id` (its stats and task), once its first frame came and the executor's
    new spare process has finished importing torch."""
    stats = Stats()
    task = asyncio.create_task(viewer(url, run_id, stats))
    await asyncio.wait_for(stats.first.wait(), 60)
    await asyncio.sleep(2.0)
    return stats, task


async def phase(
    base: str, client: httpx.Client, run_id: str, n: int, seconds: float, server_pid: int
) -> dict[str, Any]:
    stats = [Stats() for _ in range(n)]
    url = base.replace("http", "ws") + "/ws/v1"
    tasks = [asyncio.create_task(viewer(url, run_id, s)) for s in stats]
    if n:
        await asyncio.wait_for(asyncio.gather(*(s.first.wait() for s in stats)), 30)
    await asyncio.sleep(0.5)
    for s in stats:
        s.measuring = True
    t0, s0 = await asyncio.to_thread(steps_now, client, run_id)
    cpu0, loop0, own0 = cpu_seconds(server_pid), cpu_seconds(server_pid, True), time.process_time()
    await asyncio.sleep(seconds)
    cpu1, loop1, own1 = cpu_seconds(server_pid), cpu_seconds(server_pid, True), time.process_time()
    t1, s1 = await asyncio.to_thread(steps_now, client, run_id)
    for s in stats:
        s.measuring = False
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    out: dict[str, Any] = {
        "viewers": n,
        "steps_per_s": round((s1 - s0) / (t1 - t0), 1),
        "server_cpu_cores": round((cpu1 - cpu0) / seconds, 2),  # training thread included
        "event_loop_cpu_cores": round((loop1 - loop0) / seconds, 2),
        "viewers_cpu_cores": round((own1 - own0) / seconds, 2),
    }
    if n:
        fps = [s.frames / (t1 - t0) for s in stats]
        delays = sorted(d for s in stats for d in s.delays)
        frames = sum(s.frames for s in stats)
        out.update(
            fps_per_viewer_min=round(min(fps), 1),
            fps_per_viewer_mean=round(statistics.fmean(fps), 1),
            delay_ms_p50=round(1000 * delays[len(delays) // 2], 1) if delays else None,
            delay_ms_p95=round(1000 * delays[int(len(delays) * 0.95)], 1) if delays else None,
            bytes_per_frame=round(sum(s.bytes for s in stats) / max(frames, 1)),
        )
    return out


def _median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round with the median training speed (its other figures come with it)."""
    ordered = sorted(rounds, key=lambda r: r["steps_per_s"])
    return {**ordered[len(ordered) // 2], "rounds_steps_per_s": [r["steps_per_s"] for r in rounds]}


async def bench_executor(executor: str, seconds: float, rounds: int) -> dict[str, Any]:
    async with served(executor, max_viewers_per_run="1000") as (base, server_pid):
        with httpx.Client(base_url=base, timeout=30) as client:
            run = client.post("/api/v1/runs", json={"spec": SPEC, "start": True}).json()
            run_id = run["id"]
            while client.get(f"/api/v1/runs/{run_id}").json()["step"] < 100:
                await asyncio.sleep(0.1)
            # the thread executor trains inside the server process: nothing to pin apart there
            pinned = pin_runs_apart(server_pid) if executor == "process" else None
            # Rounds alternate the viewer counts, so a passing disturbance of the machine does not
            # land on one count only; the median round of each count is reported.
            rounds_by_count: dict[int, list[dict[str, Any]]] = {n: [] for n in VIEWER_COUNTS}
            for _ in range(rounds):
                for n in VIEWER_COUNTS:
                    measured = await phase(base, client, run_id, n, seconds, server_pid)
                    rounds_by_count[n].append(measured)
            results = [_median_round(rounds_by_count[n]) for n in VIEWER_COUNTS]
            client.post(
                f"/api/v1/runs/{run_id}/actions",
                json={"action": "stop"},
                headers={"X-Glassnet-Owner": run["owner"]},
            )
    baseline = results[0]["steps_per_s"] or 1.0
    load = os.getloadavg()[0]
    for n, r in zip(VIEWER_COUNTS[1:], results[1:], strict=True):
        # each round against the no-viewer phase of the same round, so a drift of the machine
        # (or of the run) between rounds cancels out; the median of those ratios is reported
        paired = [
            m["steps_per_s"] / max(b["steps_per_s"], 1.0)
            for m, b in zip(rounds_by_count[n], rounds_by_count[0], strict=True)
        ]
        r["training_relative"] = round(statistics.median(paired), 3)
        r["rounds_training_relative"] = [round(x, 3) for x in paired]
    return {
        "pinned": pinned,
        "baseline_steps_per_s": baseline,
        "baseline_rounds_steps_per_s": [b["steps_per_s"] for b in rounds_by_count[0]],
        "baseline_server_cpu_cores": results[0]["server_cpu_cores"],
        "load_average_1min": round(load, 2),
        "phases": results[1:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--executors", default="process,thread")
    args = parser.parse_args()
    out: dict[str, Any] = {
        "bench": "fanout",
        "hz_requested": HZ,
        "cpus": os.cpu_count(),
        "rounds": args.rounds,
    }
    for executor in args.executors.split(","):
        out[executor] = asyncio.run(bench_executor(executor, args.seconds, args.rounds))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
