"""The run loop shared by both executors."""

from __future__ import annotations

import multiprocessing
import threading
from typing import Any

from glassnet.runs.executors import PipeInbox
from glassnet.runs.worker import QueueInbox, Worker


class EndlessTrainer:
    """Trains forever, one cheap step at a time, and remembers which steps captured probes."""

    status, stop_reason, diagnosis, done = "created", None, None, False

    def __init__(self, spec: Any, run_id: str | None = None) -> None:
        self.step_count, self.epoch, self.metrics, self.latest_metrics = 0, 0, [], None
        self.captured: list[int] = []

    def step(self, n: int = 1, capture: bool = False) -> None:
        self.step_count += n
        if capture:
            self.captured.append(self.step_count)

    def run_epoch(self, capture: bool = False) -> None:
        self.step(10, capture)
        self.epoch += 1

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


def _stepped(command: tuple[Any, ...]) -> EndlessTrainer:
    """A worker without viewers that carries out `command`, closed once it pauses."""
    inbox = QueueInbox()

    def emit(event: tuple[Any, ...]) -> None:
        if event[:2] == ("state", "paused"):
            inbox.put(("close", 99))

    worker = Worker("r1", {}, inbox, emit, EndlessTrainer)
    inbox.put(command)
    worker.run()
    assert isinstance(worker.trainer, EndlessTrainer)
    return worker.trainer


def test_the_last_of_the_steps_asked_for_captures_its_probes() -> None:
    trainer = _stepped(("step", 5, 1))
    assert trainer.step_count == 5 and trainer.captured == [5]


def test_the_last_step_of_an_epoch_asked_for_captures_its_probes() -> None:
    trainer = _stepped(("epoch", 1))
    assert trainer.captured == [10]
