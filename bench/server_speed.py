"""A run at full speed in the server against the same training loop in the benchmark process.

For each small network of bench/small_nets.py and each executor (process, the default, and
thread): the server (`glassnet serve` on a loopback port, one websocket viewer asking for 30 frames
per second) trains the spec while this process reads its step counter; then the run is paused and
the benchmark loop (`Trainer.step`, with `step(capture=True)` + `snapshot()` whenever 1/30 s has
passed) trains the same spec in this process. Rounds alternate between the two; medians are
compared. The ratio server/benchmark should be about 1 (the server adds only its run loop and the
frame fan-out). Prints one JSON object.

    .venv/bin/python bench/server_speed.py [--seconds 2] [--rounds 3]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from fanout import Stats, viewer  # noqa: E402
from serving import served, steps_now  # noqa: E402
from small_nets import NETS, spec  # noqa: E402
from watched import FRAME_HZ, watched_training  # noqa: E402


def benchmark_loop(run_spec: dict[str, Any], seconds: float) -> float:
    """Steps per second of the benchmark's own loop, frames at 30 Hz."""
    torch.set_num_threads(1)
    return float(watched_training(run_spec, seconds, warmup=200)["wall"])


async def server_vs_benchmark(
    base: str, run_spec: dict[str, Any], seconds: float, rounds: int
) -> tuple[float, float]:
    """Median steps per second of a server run watched by one viewer at 30 Hz, and of the
    benchmark loop, measured in alternating windows (the server run pauses meanwhile)."""
    url = base.replace("http", "ws") + "/ws/v1"
    with httpx.Client(base_url=base, timeout=30) as client:
        created = client.post("/api/v1/runs", json={"spec": run_spec, "start": True}).json()
        run_id, owner = created["id"], {"X-Glassnet-Owner": created["owner"]}

        def act(action: str) -> None:
            client.post(f"/api/v1/runs/{run_id}/actions", json={"action": action}, headers=owner)

        stats = Stats()
        task = asyncio.create_task(viewer(url, run_id, stats))
        await asyncio.wait_for(stats.first.wait(), 30)
        await asyncio.sleep(2.0)  # the executor's new spare process finishes importing torch
        in_server, in_bench = [], []
        for _ in range(rounds):
            t0, s0 = steps_now(client, run_id)
            await asyncio.sleep(seconds)
            t1, s1 = steps_now(client, run_id)
            in_server.append((s1 - s0) / (t1 - t0))
            act("pause")
            in_bench.append(await asyncio.to_thread(benchmark_loop, run_spec, seconds))
            act("resume")
            await asyncio.sleep(0.3)
        task.cancel()
        act("stop")
        return statistics.median(in_server), statistics.median(in_bench)


async def measure(executor: str, seconds: float, rounds: int) -> dict[str, Any]:
    nets: dict[str, Any] = {}
    async with served(executor) as (base, _):
        for name, hidden in NETS.items():
            in_server, in_bench = await server_vs_benchmark(base, spec(hidden), seconds, rounds)
            nets[name] = {
                "server_steps_per_s": round(in_server),
                "benchmark_steps_per_s": round(in_bench),
                "ratio": round(in_server / in_bench, 3),
                "target": "within 10 % (ratio ≥ 0.9)",
                "meets_target": in_server >= 0.9 * in_bench,
            }
    return nets


async def main_async(seconds: float, rounds: int) -> dict[str, Any]:
    executors = {e: await measure(e, seconds, rounds) for e in ("process", "thread")}
    return {
        "bench": "server_speed",
        "frame_hz": FRAME_HZ,
        "seconds": seconds,
        "rounds": rounds,
        "load_average": os.getloadavg()[0],
        "executors": executors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args.seconds, args.rounds))))


if __name__ == "__main__":
    main()
