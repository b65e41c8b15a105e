"""A 16-run sweep on a real server against one run alone, for each executor asked for.

For each executor (`--executors process[,ray]`): `glassnet serve` on a loopback port trains one run
of a small playground network alone (the baseline), then a sweep of `--runs` runs of the same spec
(one axis: the seed, so every run does the same work), with at most `--parallel` of them in flight
(the rest wait in the sweep's queue). Reported: the sweep's runs per second (runs / wall time from
the POST to the last run's end), and each run's steps per second (median over the sweep's runs)
against the run alone: from its launch to its end (a run's worker may be a fresh process that
imports torch first), and while training (from the first poll that sees it step to the first that
sees it ended, polled every 50 ms), with the load average.
Nobody watches: the sweep's runs take their few history frames a second, as in the app. Prints
one JSON object.

    .venv/bin/python bench/sweep.py [--runs 16] [--parallel 4] [--epochs 1000] [--executors process]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from serving import served
from small_nets import spec

HIDDEN = [8, 8]
DEADLINE = 1800.0  # seconds before a wait gives up
POLL_SECONDS = 0.05
ENDED = {"finished", "stopped", "diverged", "failed", "interrupted"}


def _seconds(run: dict[str, Any]) -> float:
    start = datetime.fromisoformat(run["created_at"])
    end = datetime.fromisoformat(run["updated_at"])
    return max((end - start).total_seconds(), 1e-9)


class Watch:
    """Each run's step counter as polled: when it was first seen training and first seen ended,
    so a run's training speed leaves out its worker's start (a fresh process imports torch)."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[float, int]] = {}
        self.last: dict[str, tuple[float, int]] = {}

    def see(self, run_id: str, state: str, step: int) -> None:
        now = time.monotonic()
        if step > 0 and run_id not in self.first:
            self.first[run_id] = (now, step)
        if state in ENDED and run_id not in self.last:
            self.last[run_id] = (now, step)

    def training_rate(self, run_id: str) -> float | None:
        if run_id not in self.first or run_id not in self.last:
            return None
        (t0, s0), (t1, s1) = self.first[run_id], self.last[run_id]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else None


def _until(poll: Any, what: str) -> Any:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = poll()
        if value:
            return value
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"timed out waiting for {what}")


def single_run(client: httpx.Client, run_spec: dict[str, Any]) -> dict[str, float]:
    """Steps per second of one run alone on the server: launch to end, and while training."""
    run_id = client.post("/api/v1/runs", json={"spec": run_spec, "start": True}).json()["id"]
    watch = Watch()

    def ended() -> dict[str, Any] | None:
        run = client.get(f"/api/v1/runs/{run_id}").json()
        watch.see(run_id, run["state"], run["step"])
        return run if run["state"] in ENDED else None

    run = _until(ended, "the single run")
    return {
        "steps": run["step"],
        "launch_to_end_s": _seconds(run),
        "steps_per_s_launch_to_end": run["step"] / _seconds(run),
        "steps_per_s_training": watch.training_rate(run_id) or float("nan"),
    }


def sweep(client: httpx.Client, run_spec: dict[str, Any], runs: int) -> dict[str, Any]:
    """Runs per second of a sweep over `runs` seeds, and each run's steps per second."""
    t0 = time.monotonic()
    body = {"spec": run_spec, "axes": [{"pointer": "/seed", "values": list(range(runs))}]}
    created = client.post("/api/v1/sweeps", json=body)
    created.raise_for_status()
    sweep_id = created.json()["id"]
    watch = Watch()

    def done() -> dict[str, Any] | None:
        s = client.get(f"/api/v1/sweeps/{sweep_id}").json()
        for p in s["runs"]:
            if p["run_id"]:
                watch.see(p["run_id"], p["state"], p["step"])
        return s if s["state"] == "done" else None

    finished = _until(done, "the sweep")
    wall = time.monotonic() - t0
    launch_to_end = []
    training = []
    for point in finished["runs"]:
        run = client.get(f"/api/v1/runs/{point['run_id']}").json()
        launch_to_end.append(run["step"] / _seconds(run))
        rate = watch.training_rate(point["run_id"])
        if rate is not None:
            training.append(rate)
    return {
        "runs": runs,
        "states": sorted({p["state"] for p in finished["runs"]}),
        "wall_s": round(wall, 2),
        "runs_per_s": round(runs / wall, 3),
        "per_run_steps_per_s_launch_to_end_median": round(statistics.median(launch_to_end), 1),
        "per_run_steps_per_s_training_median": round(statistics.median(training), 1)
        if training
        else None,
        "runs_timed_training": len(training),
    }


async def measure(executor: str, args: argparse.Namespace) -> dict[str, Any]:
    run_spec = spec(HIDDEN)
    run_spec["training"]["epochs"] = args.epochs
    settings = {
        "max_active_runs": str(max(args.parallel, 2)),
        "max_sweep_active_runs": str(args.parallel),
    }
    async with served(executor, **settings) as (base, _pid):
        with httpx.Client(base_url=base, timeout=60) as client:
            single_run(client, run_spec)  # warm-up: imports and compiled kernels
            alone = single_run(client, run_spec)
            grid = sweep(client, run_spec, args.runs)
    training = grid["per_run_steps_per_s_training_median"]
    return {
        "single_run": {k: round(v, 2) for k, v in alone.items()},
        "sweep": grid,
        "per_run_over_single_launch_to_end": round(
            grid["per_run_steps_per_s_launch_to_end_median"] / alone["steps_per_s_launch_to_end"], 3
        ),
        "per_run_over_single_training": round(training / alone["steps_per_s_training"], 3)
        if training
        else None,
        "runs_per_s_over_single": round(grid["runs_per_s"] * alone["launch_to_end_s"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=16)
    parser.add_argument("--parallel", type=int, default=4, help="runs of the sweep in flight")
    parser.add_argument("--epochs", type=int, default=1000, help="of 25 steps each")
    parser.add_argument("--executors", default="process", help="comma-separated: process,ray")
    args = parser.parse_args()
    out: dict[str, Any] = {
        "net": "2-" + "-".join(map(str, HIDDEN)) + "-1",
        "epochs": args.epochs,
        "parallel": args.parallel,
        "cpus": os.cpu_count(),
    }
    for executor in args.executors.split(","):
        out[executor] = asyncio.run(measure(executor, args))
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
