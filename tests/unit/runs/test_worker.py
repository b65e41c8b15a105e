"""The run loop shared by both executors."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from typing import Any

from glassnet.engine.frame_budget import DEFAULT_SHARE
from glassnet.runs.events import Exited, FrameTaken, StateChanged, WorkerEvent
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
    events: list[WorkerEvent] = []
    worker = Worker("r1", {}, PipeInbox(commands), events.append, EndlessTrainer)
    server_end.send(("start", 1))
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    server_end.close()  # the server died: the pipe reads as end-of-file from now on
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert events[-1] == Exited()


def _stepped(command: tuple[Any, ...]) -> EndlessTrainer:
    """A worker without viewers that carries out `command`, closed once it pauses."""
    inbox = QueueInbox()

    def emit(event: WorkerEvent) -> None:
        if isinstance(event, StateChanged) and event.state == "paused":
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


class WatchedTrainer(EndlessTrainer):
    """An EndlessTrainer whose frames are costly: a step takes 1 ms and a frame 50 ms of a
    virtual CPU clock, which the worker reads as the run's own time."""

    snapshot_cost = 0.05

    def __init__(self, spec: Any, run_id: str | None = None) -> None:
        super().__init__(spec, run_id)
        self.cpu = 0.0
        self.frame_costs: dict[str, float] = {}

    def step(self, n: int = 1, capture: bool = False) -> None:
        super().step(n, capture)
        self.cpu += 0.001 * n

    def snapshot(self, channels: Any = None, layers: Any = None, *, live: bool = False) -> dict:  # type: ignore[type-arg]
        self.cpu += self.snapshot_cost
        self.frame_costs = {"layers": self.snapshot_cost}
        return {"v": 1, "step": self.step_count, "layers": []}


class CheapSnapshotTrainer(WatchedTrainer):
    """A WatchedTrainer whose snapshot costs nothing it measures itself."""

    snapshot_cost = 0.0


class AmortisingTrainer(WatchedTrainer):
    """Its snapshot spends 50 ms (a refresh of the predictions) and reports 5 ms for it: the
    refresh serves the next ten frames."""

    def snapshot(self, channels: Any = None, layers: Any = None, *, live: bool = False) -> dict:  # type: ignore[type-arg]
        frame = super().snapshot(channels, layers, live=live)
        self.frame_costs = {"predictions": 0.005}
        return frame


class RefillingTrainer(CheapSnapshotTrainer):
    """Its frames cost nothing themselves, but the first step after a captured one costs 50 ms
    more: the caches the frame emptied are refilled."""

    refill = 0.05

    def __init__(self, spec: Any, run_id: str | None = None) -> None:
        super().__init__(spec, run_id)
        self.refill_due = False

    def step(self, n: int = 1, capture: bool = False) -> None:
        super().step(n, capture)
        if self.refill_due:
            self.cpu += self.refill
        self.refill_due = capture


class ContendedTrainer(CheapSnapshotTrainer):
    """A step takes 2 ms of wall-clock time but only 0.5 ms of the run's CPU time (other
    processes have the core the rest of the time); a frame costs 5 ms of CPU time."""

    snapshot_cost = 0.005

    def step(self, n: int = 1, capture: bool = False) -> None:
        EndlessTrainer.step(self, n, capture)
        time.sleep(0.002 * n)
        self.cpu += 0.0005 * n


def _watched(
    frames_wanted: int,
    commands: list[tuple[Any, ...]],
    trainer_class: type[WatchedTrainer] = WatchedTrainer,
    delivery_cost: float = 0.0,
    plan: dict[str, Any] | None = None,
) -> list[FrameTaken]:
    """The frame events of a worker given `commands`, closed once `frames_wanted` arrived;
    handing a frame over (`emit`) costs `delivery_cost` of the run's clock."""
    inbox = QueueInbox()
    frames: list[FrameTaken] = []
    trainer: list[WatchedTrainer] = []

    def factory(spec: Any, run_id: str | None = None) -> WatchedTrainer:
        trainer.append(trainer_class(spec, run_id))
        return trainer[0]

    def emit(event: WorkerEvent) -> None:
        if isinstance(event, FrameTaken):
            trainer[0].cpu += delivery_cost
            frames.append(event)
            if len(frames) == frames_wanted:
                inbox.put(("close", 99))

    worker = Worker("r1", {}, inbox, emit, factory, clock=lambda: trainer[0].cpu, checkpoint=plan)
    for command in commands:
        inbox.put(command)
    worker.run()
    return frames


def test_a_watched_run_shows_its_step_0_frame_before_it_trains() -> None:
    frames = _watched(2, [("view", 30.0, None, None, 1), ("start", 2)])
    first, second = frames
    assert first.step == 0 and first.frame["step"] == 0 and second.step >= 1


# what the status bar says of frames that cost 50 ms: the rate the default share allows them
FIFTY_MS_NOTE = f"{DEFAULT_SHARE / 0.05:.0f} frames/s: a frame costs 50 ms"


def test_frames_take_at_most_a_tenth_of_the_runs_time_whatever_they_cost() -> None:
    # a frame costs 50 steps' worth: at 30 frames/s asked, the budget allows one or two a
    # (virtual) second
    frames = _watched(6, [("view", 30.0, None, None, 1), ("start", 2)])
    steps = [f.step for f in frames[1:]]  # the stream, after the step-0 frame
    gaps = [b - a for a, b in itertools.pairwise(steps)]
    # each 50 ms frame needs 450 ms of training beside it: 450 steps of 1 ms (capture included)
    assert all(gap >= 449 for gap in gaps), gaps
    assert FIFTY_MS_NOTE in frames[-1].frame["frame_note"]


def test_a_frame_taken_before_the_run_trains_does_not_hold_the_stream_back() -> None:
    # the step-0 frame costs 50 ms, but of no training: the stream starts with the first step
    step_0, first_of_stream = _watched(2, [("view", 30.0, None, None, 1), ("start", 2)])
    assert (step_0.step, first_of_stream.step) == (0, 1)


def test_the_servers_frame_share_sets_the_budget() -> None:
    # a class server lets frames take half of each run's time: 50 ms frames come 10 a second
    frames = _watched(4, [("view", 30.0, None, None, 1), ("start", 2)], plan={"frame_share": 0.5})
    assert "10 frames/s: a frame costs 50 ms" in frames[-1].frame["frame_note"]


def test_handing_a_frame_over_counts_against_the_budget_too() -> None:
    # the snapshot is free, but copying the frame into the pipe takes 50 ms of the run's time
    frames = _watched(
        4, [("view", 30.0, None, None, 1), ("start", 2)], CheapSnapshotTrainer, delivery_cost=0.05
    )
    assert FIFTY_MS_NOTE in frames[-1].frame["frame_note"]


def test_what_a_frame_leaves_the_next_steps_to_pay_counts_against_the_budget_too() -> None:
    frames = _watched(4, [("view", 30.0, None, None, 1), ("start", 2)], RefillingTrainer)
    assert FIFTY_MS_NOTE in frames[-1].frame["frame_note"]


def test_a_run_that_gets_part_of_a_core_says_so_with_its_slower_frames() -> None:
    frames = _watched(4, [("view", 30.0, None, None, 1), ("start", 2)], ContendedTrainer)
    note = frames[-1].frame["frame_note"]
    assert note is not None and "% of a core" in note
    # 5 ms frames fit 10 a second of the run's own CPU time; it gets at most a quarter of a core,
    # which its running estimate (from 1, halving the gap every quarter second) is within 0.05 of
    # by the fourth frame, over a second of wall-clock time later
    cpu_rate = DEFAULT_SHARE / ContendedTrainer.snapshot_cost
    assert int(note.split(" frames/s")[0]) <= round(cpu_rate * (0.25 + 0.05))


def test_the_frame_a_run_pauses_on_carries_no_note_on_the_frame_rate() -> None:
    inbox = QueueInbox()
    frames: list[FrameTaken] = []

    def emit(event: WorkerEvent) -> None:
        if isinstance(event, FrameTaken):
            frames.append(event)
            if len(frames) == 4:  # the step-0 frame and three of the stream
                inbox.put(("pause", 3))
        if isinstance(event, StateChanged) and event.state == "paused":
            inbox.put(("close", 99))

    trainer = WatchedTrainer({})
    worker = Worker(
        "r1", {}, inbox, emit, lambda spec, run_id=None: trainer, clock=lambda: trainer.cpu
    )
    inbox.put(("view", 30.0, None, None, 1))
    inbox.put(("start", 2))  # 50 ms frames: the budget slows the stream and says so
    worker.run()
    *streamed, paused = frames
    assert FIFTY_MS_NOTE in streamed[-1].frame["frame_note"]
    assert paused.step == streamed[-1].step and paused.frame["frame_note"] is None


def test_a_part_the_trainer_shares_out_over_frames_is_not_counted_whole_as_delivery() -> None:
    frames = _watched(3, [("view", 30.0, None, None, 1), ("start", 2)], AmortisingTrainer)
    assert "a frame costs 5 ms" in frames[-1].frame["frame_note"]
