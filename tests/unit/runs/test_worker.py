"""The run loop shared by both executors."""

from __future__ import annotations

import multiprocessing
import threading
from typing import Any

from glassnet.runs.executors import PipeInbox
from glassnet.runs.worker import Worker


class EndlessTrainer:
    """Trains forever, one cheap step at a time."""

    status, stop_reason, diagnosis, done = "created", None, None, False

    def __init__(self, spec: Any, run_id: str | None = None) -> None:
        self.step_count, self.epoch, self.metrics, self.latest_metrics = 0, 0, [], None

    def step(self, n: int = 1, capture: bool = False) -> None:
        self.step_count += n

    def graph_info(self) -> list[dict[str, Any]]:
        return []

    def stop(self, status: str, reason: str) -> None:
        self.status = status

    def export_state_dict(self) -> dict[str, Any]:
        return {}


def test_a_training_run_ends_when_the_server_goes_away() -> None:
    commands, server_end = multiprocessing.get_context("spawn").Pipe(duplex=False)
    events: list[tuple[Any, ...]] = []
    worker = Worker("r1", {}, PipeInbox(commands), events.append, EndlessTrainer)
    server_end.send(("start", 1))
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    server_end.close()  # the server died: the pipe reads as end-of-file from now on
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert events[-1] == ("exit",)
