"""Faults: a run whose worker process (or Ray actor) is killed ends `interrupted` with the reason
and keeps its metrics; `resume` trains it on from its last checkpoint in a new worker (the step,
the metric history and the parameters continue from there), while the server and other runs carry
on."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rayhelpers import executor
from runhelpers import SPEC, run_sync, wait

from glassnet.engine.metric_history import MAX_HISTORY
from glassnet.engine.trainer import Trainer
from glassnet.runs import Conflict, RunManager
from glassnet.runs.checkpoint import restore
from glassnet.runs.events import Exited
from glassnet.settings import Settings
from glassnet.store import Store

FLOAT64 = {**SPEC, "dtype": "float64"}
# A checkpoint every 50 ms of training: several before the kill, whatever the machine's speed.
QUICK = {"checkpoint_seconds": 0.05, "spare_workers": 0}


@pytest.fixture(params=["process", pytest.param("ray", marks=pytest.mark.ray)])
def manager(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[RunManager]:
    settings = Settings(data_dir=tmp_path, executor=request.param, **QUICK)
    # the settings' executor: a process one with no spare, or a Ray one on the local Ray
    chosen = executor("ray", request) if request.param == "ray" else None
    m = RunManager(settings, Store(settings.resolved_database_url), chosen)
    yield m
    m.shutdown()


def kill_worker(manager: RunManager, run_id: str) -> str:
    """Kill the run's worker as the system would (kill -9, or Ray losing the actor); returns
    how the run's reason names it."""
    handle = manager._runs[run_id].handle
    if manager.settings.executor == "ray":
        import ray

        ray.kill(handle.actor)  # type: ignore[union-attr]
        return "its Ray actor died"
    os.kill(handle.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
    return "killed (SIGKILL)"


@pytest.mark.slow
def test_a_killed_worker_interrupts_its_run_which_resumes_from_its_checkpoint(
    manager: RunManager,
) -> None:
    victim, owner = manager.create(FLOAT64, start=True)
    other, other_owner = manager.create(FLOAT64, start=True)
    rid = victim["id"]
    wait(lambda: (manager.get(rid)["checkpoint_step"] or 0) > 0 and manager.get(rid)["epoch"] > 3)

    cause = kill_worker(manager, rid)
    wait(lambda: manager.get(rid)["state"] == "interrupted")
    lost = manager.get(rid)
    assert cause in lost["stop_reason"]
    checkpoint = lost["checkpoint_step"]
    assert f"resume it from its checkpoint at step {checkpoint}" in lost["stop_reason"]
    assert manager.metrics(rid), "the metrics recorded before the kill are kept"
    # The other run never noticed.
    step = manager.get(other["id"])["step"]
    wait(lambda: manager.get(other["id"])["step"] > step)
    assert manager.get(other["id"])["state"] == "running"
    manager.action(other["id"], "stop", owner=other_owner)

    saved = manager.checkpoints.load(rid)
    assert saved is not None and saved.step == checkpoint
    resumed = manager.action(rid, "resume", owner=owner)
    assert resumed["state"] == "running" and resumed["step"] == checkpoint
    wait(lambda: manager.get(rid)["step"] > checkpoint + 20)
    manager.action(rid, "pause", owner=owner)
    # asked after the pause, the worker answers with the step it paused at and its weights there
    at = run_sync(manager.snapshot(rid))["step"]
    weights: dict[str, Any] = run_sync(manager.state_dict(rid))
    # The new worker started from the checkpoint's parameters: the engine, given the same
    # checkpoint here and stepped as far, holds the very same float64 numbers.
    replay = Trainer(FLOAT64)
    restore(replay, saved)
    replay.step(at - checkpoint)
    for name, value in replay.export_state_dict().items():
        assert weights[name].dtype == np.float64
        np.testing.assert_array_equal(weights[name], value.numpy())
    rows = manager.metrics(rid)
    steps = [r["step"] for r in rows]
    assert steps == sorted(set(steps)), "one history: no row twice, none out of order"
    if steps[-1] <= MAX_HISTORY:  # beyond, the trainer keeps every other row of a long history
        assert steps == list(range(1, steps[-1] + 1)), "one full-batch epoch a row, none lost"
    assert steps[-1] > checkpoint and any(s <= checkpoint for s in steps)


def test_a_run_interrupted_before_its_first_checkpoint_cannot_be_resumed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, executor="thread", checkpoint_seconds=3600)
    manager = RunManager(settings, Store(settings.resolved_database_url))
    try:
        run, owner = manager.create(SPEC)
        record = manager._runs[run["id"]]
        manager._on_event(record, Exited("its worker process was killed (SIGKILL)"))
        assert manager.get(run["id"])["state"] == "interrupted"
        assert "start it again" in manager.get(run["id"])["stop_reason"]
        with pytest.raises(Conflict, match="no checkpoint"):
            manager.action(run["id"], "resume", owner=owner)
    finally:
        manager.shutdown()
