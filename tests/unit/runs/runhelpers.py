"""Helpers shared by the run tests (imported as `runhelpers`: pytest puts this folder on sys.path)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, ClassVar

SPEC = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "data": {"dataset": "xor", "n": 20},
    "training": {"loss": "bce", "epochs": 100_000},
}


def run_sync(coro: Any) -> Any:
    """Run a coroutine on a fresh loop in its own thread: the main thread may already host an
    event loop (Playwright's, when the browser tests ran first in the same session)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class FakeTrainer:
    """The engine's Trainer interface, in a few lines; `fail_at` makes step() raise."""

    fail_at: int | None = None
    by_run: ClassVar[dict[str | None, FakeTrainer]] = {}  # every instance, for a look inside

    def __init__(self, spec: Any, run_id: str | None = None) -> None:
        FakeTrainer.by_run[run_id] = self
        self.spec = spec  # what the worker handed over
        self.lr: float | None = None
        self.status, self.stop_reason, self.diagnosis = "created", None, None
        self.step_count, self.epoch, self.metrics = 0, 0, []
        # no weight path for the loss landscape: a fake has no weights
        self.path_recorder = SimpleNamespace(enabled=False)

    done = property(lambda self: self.status in ("finished", "stopped", "diverged", "failed"))
    latest_metrics = property(lambda self: self.metrics[-1] if self.metrics else None)

    def step(self, n: int = 1, capture: bool = False) -> None:
        if self.fail_at is not None and self.step_count >= self.fail_at:
            raise RuntimeError("boom")
        self.step_count += 1
        self.epoch = self.step_count // 10
        self.metrics.append(
            {"step": self.step_count, "epoch": self.epoch, "loss": 1.0, "lr": self.lr}
        )
        time.sleep(0.0005)

    def run_epoch(self, capture: bool = False) -> None:
        self.step(10)

    def stop(self, status: str, reason: str) -> None:
        self.status, self.stop_reason = status, reason

    def set_lr(self, lr: float) -> None:
        self.lr = lr

    def graph_info(self) -> list[dict[str, Any]]:
        return [{"id": "y", "kind": "dense"}]

    def snapshot(
        self, channels: Any = None, layers: Any = None, *, live: bool = False
    ) -> dict[str, Any]:
        return {"v": 1, "step": self.step_count, "layers": []}

    def export_state_dict(self) -> dict[str, Any]:
        return {}


def wait(predicate: Callable[[], bool]) -> None:
    end = time.monotonic() + 60
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)
