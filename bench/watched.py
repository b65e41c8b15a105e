"""The benchmarks' Glassnet side: a Trainer watched at 30 frames per second, as the live views do."""

from __future__ import annotations

import time
from typing import Any

from glassnet.engine import Trainer

FRAME_HZ = 30.0


def watched_training(spec: dict[str, Any], seconds: float, warmup: int = 50) -> dict[str, Any]:
    """Steps per wall and CPU second of `Trainer.step`, with `step(capture=True)` + `snapshot()`
    (every layer's telemetry, and the decision boundary for 2-D data) whenever 1/30 s has passed."""
    trainer = Trainer(spec)
    trainer.step(warmup, capture=True)
    trainer.snapshot()
    first, frames, period = trainer.step_count, 0, 1.0 / FRAME_HZ
    wall, cpu = time.perf_counter(), time.process_time()
    due, frame_time = wall, 0.0
    while (now := time.perf_counter()) - wall < seconds:
        if now >= due:
            trainer.step(capture=True)
            trainer.snapshot()
            frames += 1
            frame_time += time.perf_counter() - now
            due = now + period
        else:
            trainer.step()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    steps = trainer.step_count - first
    return {
        "wall": steps / wall,
        "cpu": steps / cpu,
        "frames": frames / wall,
        "frame_ms": 1000 * frame_time / max(frames, 1),  # capture step + snapshot
        "path": trainer.path_name,
    }
