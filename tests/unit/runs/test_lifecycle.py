"""Worker lifecycle: an ended run gives its process back at once, a silent worker is reported
`stalled` and then ended, and runs created but never started cannot pile up."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rayhelpers import executor
from runhelpers import SPEC, FakeTrainer, run_sync, wait

from glassnet.runs import Conflict, LimitExceeded, RunManager, janitor
from glassnet.runs.events import Exited
from glassnet.runs.executors import ProcessExecutor, ThreadExecutor
from glassnet.settings import Settings
from glassnet.store import Store

SHORT = {**SPEC, "training": {"loss": "bce", "epochs": 2}}
# Small heartbeat limits so a stopped worker is noticed quickly; a busy machine only makes a
# healthy worker look stalled for a moment, and every assertion waits on a state, not a time.
QUICK = {"heartbeat_seconds": 0.05, "run_stall_seconds": 1.0, "run_stall_kill_seconds": 3.0}


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def worker_process(manager: RunManager, run_id: str) -> Any:
    handle = manager._runs[run_id].handle
    assert handle is not None
    return handle.process  # type: ignore[attr-defined]


@pytest.fixture
def process_manager(tmp_path: Path) -> Iterator[RunManager]:
    settings = Settings(data_dir=tmp_path, executor="process", spare_workers=0, **QUICK)
    manager = RunManager(settings, Store(settings.resolved_database_url))
    yield manager
    manager.shutdown()


@pytest.fixture(params=["thread", pytest.param("ray", marks=pytest.mark.ray)])
def fake_manager(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[RunManager]:
    settings = Settings(
        data_dir=tmp_path, max_unstarted_runs_per_client=2, unstarted_run_seconds=1800
    )
    chosen = executor(request.param, request, FakeTrainer)
    manager = RunManager(settings, Store(settings.resolved_database_url), chosen)
    yield manager
    manager.shutdown()


@pytest.mark.slow
@pytest.mark.timeout(900)  # 40 worker processes each import torch: minutes on a busy 2-core box
def test_forty_short_runs_leave_only_the_warm_spare_alive(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, executor="process", spare_workers=1)
    manager = RunManager(settings, Store(settings.resolved_database_url), ProcessExecutor())
    try:
        wait(lambda: len(multiprocessing.active_children()) == 1)  # the warm spare
        files_before = open_files()
        ids: list[str] = []
        for _ in range(10):  # 4 at a time: 40 torch processes at once would not fit a laptop
            batch = [manager.create(SHORT, start=True)[0]["id"] for _ in range(4)]
            for rid in batch:
                wait(lambda rid=rid: manager.get(rid)["state"] == "finished")
            ids += batch
        # Every run is still held in memory (the idle limit is 30 min), yet only the spare lives.
        assert all(rid in manager._runs for rid in ids)
        wait(lambda: len(multiprocessing.active_children()) <= settings.spare_workers)
        wait(lambda: all(manager._runs[rid].handle is None for rid in ids))
        assert open_files() <= files_before + 2  # pipes of the spare in waiting, at most
        # Their results are kept: metrics, the final frame and the final weights.
        for rid in ids:
            assert [row["epoch"] for row in manager.metrics(rid)] == [1, 2]
        frame = run_sync(manager.snapshot(ids[-1]))
        assert frame["run"] == ids[-1] and frame["step"] == manager.get(ids[-1])["step"]
        assert run_sync(manager.state_dict(ids[0]))["blocks.y.weight"].shape == (1, 2)
    finally:
        manager.shutdown()


class SlowToExit:
    """A worker handle that takes commands and has not exited yet (its process still starting)."""

    alive = True

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []

    def send(self, cmd: tuple[Any, ...]) -> None:
        self.sent.append(cmd)

    def close(self) -> None:
        self.send(("close", 0))

    def kill(self) -> None:
        self.send(("kill",))


def test_a_run_whose_worker_has_not_exited_yet_still_holds_its_slot(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, max_active_runs=1)
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        run, owner = manager.create(SPEC)
        record = manager._runs[run["id"]]
        real, record.handle = record.handle, SlowToExit()
        manager.action(run["id"], "stop", owner=owner)
        assert [cmd[0] for cmd in record.handle.sent] == ["stop", "close"]
        with pytest.raises(LimitExceeded, match="at most 1 runs at once"):
            manager.create(SPEC)
        manager._on_event(record, Exited())  # the worker has gone
        manager.create(SPEC)
        real.close()
    finally:
        manager.shutdown()


def test_a_stopped_run_closes_its_worker_at_once(fake_manager: RunManager) -> None:
    run, owner = fake_manager.create(SPEC, start=True)
    wait(lambda: fake_manager.get(run["id"])["step"] > 5)
    fake_manager.action(run["id"], "stop", owner=owner)
    record = fake_manager._runs[run["id"]]
    wait(lambda: record.handle is None)
    assert fake_manager.get(run["id"])["state"] == "stopped"
    assert fake_manager.metrics(run["id"])[-1]["step"] == record.step


@pytest.mark.slow
def test_a_stopped_worker_is_stalled_then_killed_and_interrupted(
    process_manager: RunManager,
) -> None:
    run, owner = process_manager.create(SPEC, start=True)
    rid = run["id"]
    wait(lambda: process_manager.get(rid)["step"] > 0)
    frame = run_sync(process_manager.snapshot(rid))  # kept as the latest frame
    process = worker_process(process_manager, rid)
    os.kill(process.pid, signal.SIGSTOP)

    wait(lambda: process_manager.get(rid)["state"] == "stalled")
    assert "has not answered for 1 s" in process_manager.get(rid)["stop_reason"]
    for action in ("pause", "resume", "step"):
        with pytest.raises(Conflict, match=f"cannot {action} a stalled run: .*not answered"):
            process_manager.action(rid, action, owner=owner)
    # The snapshot answers from the latest frame: the stopped worker is not asked.
    assert run_sync(process_manager.snapshot(rid))["seq"] >= frame["seq"]

    wait(lambda: process_manager.get(rid)["state"] == "interrupted")
    assert "did not answer for 3 s and was ended" in process_manager.get(rid)["stop_reason"]
    wait(lambda: process.exitcode is not None)  # the run's pipe reader reaps it
    assert process.exitcode == -signal.SIGKILL
    # An interrupted run starts again from its spec.
    assert process_manager.action(rid, "start", owner=owner)["state"] == "running"
    wait(lambda: process_manager.get(rid)["step"] > 0)


@pytest.mark.slow
@pytest.mark.ray
def test_a_stopped_ray_actor_is_stalled_then_killed_and_interrupted(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = Settings(data_dir=tmp_path, executor="ray", **QUICK)
    manager = RunManager(settings, Store(settings.resolved_database_url), executor("ray", request))
    try:
        run, _ = manager.create(SPEC, start=True)
        rid = run["id"]
        wait(lambda: manager.get(rid)["step"] > 0)
        import ray

        actor = manager._runs[rid].handle.actor  # type: ignore[union-attr]
        os.kill(ray.get(actor.pid.remote()), signal.SIGSTOP)  # the node's process goes quiet
        wait(lambda: manager.get(rid)["state"] == "stalled")
        wait(lambda: manager.get(rid)["state"] == "interrupted")
        assert "did not answer for 3 s and was ended" in manager.get(rid)["stop_reason"]
        wait(lambda: manager._runs[rid].handle is None)  # the actor is gone
    finally:
        manager.shutdown()


@pytest.mark.slow
def test_a_stalled_worker_that_answers_again_carries_on(process_manager: RunManager) -> None:
    run, _ = process_manager.create(SPEC, start=True)
    rid = run["id"]
    wait(lambda: process_manager.get(rid)["step"] > 0)
    pid = worker_process(process_manager, rid).pid
    os.kill(pid, signal.SIGSTOP)
    wait(lambda: process_manager.get(rid)["state"] == "stalled")
    step = process_manager.get(rid)["step"]
    os.kill(pid, signal.SIGCONT)
    wait(lambda: process_manager.get(rid)["state"] == "running")
    wait(lambda: process_manager.get(rid)["step"] > step)
    assert process_manager.get(rid)["stop_reason"] is None


@pytest.mark.slow
def test_stopping_a_stalled_run_kills_its_worker(process_manager: RunManager) -> None:
    run, owner = process_manager.create(SPEC, start=True)
    rid = run["id"]
    wait(lambda: process_manager.get(rid)["step"] > 0)
    process = worker_process(process_manager, rid)
    os.kill(process.pid, signal.SIGSTOP)
    wait(lambda: process_manager.get(rid)["state"] == "stalled")
    assert process_manager.action(rid, "stop", owner=owner)["state"] == "stopped"
    wait(lambda: process.exitcode is not None)  # the run's pipe reader reaps it
    assert process.exitcode == -signal.SIGKILL
    assert "while its worker was not answering" in process_manager.get(rid)["stop_reason"]


def test_a_client_may_hold_only_a_few_runs_it_has_not_started(fake_manager: RunManager) -> None:
    first, owner = fake_manager.create(SPEC, client="10.0.0.1")
    fake_manager.create(SPEC, client="10.0.0.1")
    with pytest.raises(LimitExceeded, match="2 runs created and not started"):
        fake_manager.create(SPEC, client="10.0.0.1")
    fake_manager.create(SPEC, client="10.0.0.2")  # another student
    fake_manager.create(SPEC, start=True, client="10.0.0.1")  # a started run is not held back
    fake_manager.action(first["id"], "start", owner=owner)
    fake_manager.create(SPEC, client="10.0.0.1")


def test_a_run_never_started_gives_its_slot_back(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, max_active_runs=1, unstarted_run_seconds=0.2)
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        run, _ = manager.create(SPEC, client="10.0.0.1")
        wait(lambda: manager.get(run["id"])["state"] == "stopped")
        assert manager.get(run["id"])["stop_reason"] == "not started within 0.2 s of its creation"
        wait(lambda: manager._runs[run["id"]].handle is None)  # its worker has exited
        manager.create(SPEC, start=True, client="10.0.0.1")  # the slot is free again
    finally:
        manager.shutdown()


@pytest.mark.slow
def test_a_worker_that_never_says_a_word_is_stalled_after_its_start_time(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, executor="process", spare_workers=0, worker_start_seconds=2, **QUICK
    )
    manager = RunManager(settings, Store(settings.resolved_database_url))
    try:
        run, _ = manager.create(SPEC, start=True)
        os.kill(worker_process(manager, run["id"]).pid, signal.SIGSTOP)  # still importing
        wait(lambda: manager.get(run["id"])["state"] == "stalled")
        wait(lambda: manager.get(run["id"])["state"] == "interrupted")
        assert manager.get(run["id"])["step"] == 0
    finally:
        manager.shutdown()


def test_an_ended_run_shows_its_last_frame_from_the_store_once_it_left_memory(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path, run_idle_seconds=0.2)
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        run, owner = manager.create(SPEC, start=True)
        wait(lambda: manager.get(run["id"])["step"] > 5)
        manager.action(run["id"], "stop", owner=owner)
        wait(lambda: run["id"] not in manager._runs)  # the idle limit let it go
        frame = run_sync(manager.snapshot(run["id"]))
        assert frame["run"] == run["id"] and frame["step"] == manager.get(run["id"])["step"]
    finally:
        manager.shutdown()


def test_memory_keeps_only_the_most_recently_used_ended_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(janitor, "MAX_ENDED_HELD", 2)
    settings = Settings(data_dir=tmp_path)
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        ids = []
        for _ in range(4):
            run, owner = manager.create(SPEC, start=True)
            manager.action(run["id"], "stop", owner=owner)
            wait(lambda rid=run["id"]: manager._runs[rid].handle is None)  # its worker exited
            ids.append(run["id"])
        manager.janitor.sweep()
        assert set(manager._runs) == set(ids[2:])
        assert manager.get(ids[0])["state"] == "stopped"  # the store answers for the others
    finally:
        manager.shutdown()
