"""The benchmarks' Glassnet side: a Trainer watched by a viewer that asks for 30 frames per second,
as the live views do, and what the benchmarks that compare it with a plain torch loop share.

Frames are taken as a run's worker takes them: when the viewer's period has passed and the
telemetry budget (`glassnet.engine.frame_budget`, frames at most a tenth of the run's CPU time)
allows one, each frame being the capturing step and a snapshot. The frame rate reached is
reported beside the speed."""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import torch

from glassnet.engine import Trainer
from glassnet.engine.frame_budget import FrameBudget

FRAME_HZ = 30.0


def watched_training(
    spec: dict[str, Any], seconds: float, warmup: int = 50, frame_hz: float = FRAME_HZ
) -> dict[str, Any]:
    """Steps per wall and CPU second of `Trainer.step`, with `step(capture=True)` + `snapshot()`
    (every layer's telemetry, and the decision boundary for 2-D data) whenever 1/`frame_hz` s has
    passed and the telemetry budget allows a frame; `frame_hz=0` trains unwatched."""
    trainer = Trainer(spec)
    trainer.step(warmup, capture=True)
    trainer.snapshot()
    budget = FrameBudget(max_hz=max(frame_hz, 1.0), clock=time.process_time)
    first, frames = trainer.step_count, 0
    period = 1.0 / frame_hz if frame_hz > 0 else math.inf
    wall, cpu = time.perf_counter(), time.process_time()
    due, frame_time = wall + (0.0 if frame_hz > 0 else math.inf), 0.0
    step_cpu = _step_cpu(trainer)
    while (now := time.perf_counter()) - wall < seconds:
        if now >= due and budget.ready():
            start_cpu = time.process_time()
            trainer.step(capture=True)
            budget.record("capture", time.process_time() - start_cpu - step_cpu)
            trainer.snapshot(live=True)  # as the server takes frames while a run trains
            for part, part_seconds in trainer.frame_costs.items():
                budget.record(part, part_seconds)
            budget.frame_done()
            frames += 1
            frame_time += time.perf_counter() - now
            due = now + period
        else:
            trainer.step()
    synchronize(str(trainer.device))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    steps = trainer.step_count - first
    return {
        "wall": steps / wall,
        "cpu": steps / cpu,
        "frames": frames / wall,
        "frame_ms": 1000 * frame_time / max(frames, 1),  # capture step + snapshot
        "path": trainer.path_name,
    }


def _step_cpu(trainer: Trainer, steps: int = 20) -> float:
    """CPU seconds of one unwatched step (what a capturing step adds is a frame's cost)."""
    start = time.process_time()
    trainer.step(steps)
    return (time.process_time() - start) / steps


def synchronize(device: str) -> None:
    """Wait for a GPU's queued kernels, so that a timing ends when the work does."""
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def rounds_parser(doc: str | None, seconds: float, rounds: int) -> argparse.ArgumentParser:
    """A benchmark's command line, described by the first line of `doc`, with --seconds (per
    round and side) and --rounds defaulting to the given values."""
    parser = argparse.ArgumentParser(description=(doc or "").strip().split("\n")[0])
    parser.add_argument("--seconds", type=float, default=seconds, help="per round and side")
    parser.add_argument("--rounds", type=int, default=rounds)
    return parser


def alternating_rounds(
    rounds: int,
    glassnet: Callable[[], dict[str, Any]],
    baseline: Callable[[], dict[str, float]],
    unwatched: Callable[[], dict[str, Any]] | None = None,
) -> tuple[dict[str, float], str]:
    """Run the sides one after the other `rounds` times. Returns the medians — `gw`, `gc`
    (Glassnet steps per wall / CPU second), `bw`, `bc` (the baseline's), `frames`, `frame_ms`,
    and with `unwatched` `uw`, `uc` (Glassnet without frames) — and the training path Glassnet
    chose."""
    keys = ["gw", "gc", "bw", "bc", "frames", "frame_ms"] + (["uw", "uc"] if unwatched else [])
    rows: dict[str, list[float]] = {k: [] for k in keys}
    path = ""
    for _ in range(rounds):
        g, b = glassnet(), baseline()
        values = {"gw": g["wall"], "gc": g["cpu"], "bw": b["wall"], "bc": b["cpu"]}
        values.update(frames=g["frames"], frame_ms=g["frame_ms"])
        if unwatched is not None:
            u = unwatched()
            values.update(uw=u["wall"], uc=u["cpu"])
        for key, value in values.items():
            rows[key].append(value)
        path = g["path"]
    return {k: statistics.median(v) for k, v in rows.items()}, path


def watched_figures(med: dict[str, float], path: str, watched: str = "watched") -> dict[str, Any]:
    """What a watched-against-plain comparison reports first: the path, both sides' steps per
    second (Glassnet's as `{watched}_steps_per_s`), frames, frame cost and the ratio."""
    return {
        "glassnet_path": path,
        "plain_steps_per_s": round(med["bw"], 1),
        f"{watched}_steps_per_s": round(med["gw"], 1),
        "frames_per_s": round(med["frames"], 1),
        "frame_ms": round(med["frame_ms"], 2),
        "ratio": round(med["gw"] / med["bw"], 3),
    }


def environment(bench: str, rounds: int, seconds: float) -> dict[str, Any]:
    """The head of a comparison benchmark's JSON: what was run, where, and how loaded."""
    return {
        "bench": bench,
        "threads": torch.get_num_threads(),
        "frame_hz": FRAME_HZ,
        "frames": "as a run's worker takes them: the viewer's rate within the telemetry budget",
        "rounds": rounds,
        "seconds_per_round": seconds,
        "load_average": os.getloadavg()[0],
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
