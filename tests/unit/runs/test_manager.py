"""RunManager with a fake trainer (state machine, stale events, failures) and the real engine
in a spawned process (the process executor); each with the Ray executor too, on a local Ray."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rayhelpers import executor
from runhelpers import SPEC, FakeTrainer, run_sync, wait

from glassnet.runs import Conflict, Forbidden, LimitExceeded, NotFound, RunManager
from glassnet.runs.events import FrameTaken, Ready, WorkerEvent
from glassnet.runs.executors import ProcessExecutor, ThreadExecutor
from glassnet.runs.handles import Launch
from glassnet.runs.persistence import ENDED_MEMORY_ROWS
from glassnet.settings import Settings
from glassnet.store import Store
from shared_schemas.runspec import RunSpec


@pytest.fixture(params=["thread", pytest.param("ray", marks=pytest.mark.ray)])
def manager(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[RunManager]:
    settings = Settings(data_dir=tmp_path, max_active_runs=2, executor=request.param)
    store = Store(settings.resolved_database_url)
    m = RunManager(settings, store, executor(request.param, request, FakeTrainer))
    yield m
    m.shutdown()


def test_state_machine_with_a_fake_trainer(manager: RunManager) -> None:
    run, owner = manager.create(SPEC)
    rid = run["id"]
    assert run["state"] == "created"
    assert manager.action(rid, "step", owner=owner, steps=5)["state"] == "paused"
    wait(lambda: manager.get(rid)["step"] == 5)
    assert manager.action(rid, "start", owner=owner)["state"] == "running"
    wait(lambda: manager.get(rid)["step"] > 20)
    with pytest.raises(Forbidden):
        manager.action(rid, "pause", owner="wrong-token")
    manager.action(rid, "set_lr", owner=owner, lr=0.1)
    wait(lambda: any(r["lr"] == 0.1 for r in manager.metrics(rid)))  # it reached the trainer
    assert manager.action(rid, "stop", owner=owner)["state"] == "stopped"
    with pytest.raises(Conflict):
        manager.action(rid, "resume", owner=owner)
    wait(lambda: manager.get(rid)["stop_reason"] == "stopped by the owner")
    rows = manager.metrics(rid)
    assert rows and rows[-1]["step"] == manager.get(rid)["step"]


def test_trainer_exceptions_fail_the_run(manager: RunManager) -> None:
    FakeTrainer.fail_at = 3
    try:
        run, _ = manager.create(SPEC, start=True)
        wait(lambda: manager.get(run["id"])["state"] == "failed")
        assert "boom" in manager.get(run["id"])["stop_reason"]
    finally:
        FakeTrainer.fail_at = None


def test_the_worker_trains_from_the_spec_validated_at_creation(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, executor="thread")
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        run, _ = manager.create(SPEC)
        wait(lambda: run["id"] in FakeTrainer.by_run)
        given = FakeTrainer.by_run[run["id"]].spec
        # the very model made when the run was created: not a document parsed again, no copy
        assert isinstance(given, RunSpec) and given is manager._runs[run["id"]].spec
        assert given == RunSpec.model_validate(SPEC)
        assert manager.get(run["id"], with_spec=True)["spec"] == SPEC  # the document as sent
    finally:
        manager.shutdown()


def test_a_servers_device_takes_the_place_of_auto_in_the_runs_spec_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, executor="thread", device="cpu")
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        run, _ = manager.create(SPEC)
        wait(lambda: run["id"] in FakeTrainer.by_run)
        assert FakeTrainer.by_run[run["id"]].spec.device == "cpu"
        assert "device" not in manager.get(run["id"], with_spec=True)["spec"]
    finally:
        manager.shutdown()


def test_limits_and_unknown_runs(manager: RunManager) -> None:
    manager.create(SPEC)
    manager.create(SPEC)
    with pytest.raises(LimitExceeded):
        manager.create(SPEC)
    with pytest.raises(NotFound):
        manager.get("nope")
    with pytest.raises(NotFound):
        manager.action("nope", "start", owner="x")


@pytest.mark.parametrize("kind", ["process", pytest.param("ray", marks=pytest.mark.ray)])
def test_the_real_engine_trains_in_a_worker(
    tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    settings = Settings(data_dir=tmp_path, executor=kind)  # type: ignore[arg-type]
    store = Store(settings.resolved_database_url)
    manager = RunManager(settings, store, executor(kind, request))
    try:
        run, owner = manager.create(SPEC, start=True)
        wait(lambda: manager.get(run["id"])["epoch"] >= 3)
        frame = run_sync(manager.snapshot(run["id"]))
        assert frame["run"] == run["id"] and frame["layers"][0]["id"] == "y"
        # with a viewer's rate set, frames stream in (pulled from a Ray actor), newest first
        record = manager._runs[run["id"]]
        manager._command(record, "view", 20.0, None, None)
        wait(lambda: record.hub.latest is not None and record.hub.latest.seq > frame["seq"])
        first = record.hub.latest
        wait(lambda: record.hub.latest.step > first.step)  # type: ignore[union-attr]
        weights = run_sync(manager.state_dict(run["id"]))
        assert weights["blocks.y.weight"].shape == (1, 2)
        manager.action(run["id"], "stop", owner=owner)
        wait(lambda: manager.get(run["id"])["stop_reason"] == "stopped by the owner")
        assert len(manager.metrics(run["id"])) >= 3
    finally:
        manager.shutdown()


def test_process_executor_keeps_a_spare_process_warm(tmp_path: Path) -> None:
    executor = ProcessExecutor(spares=1)
    executor.warm()
    try:
        (spare,) = executor._ready
        assert spare.process.is_alive()
        events: list[WorkerEvent] = []
        handle = executor.launch(Launch("r1", RunSpec.model_validate(SPEC)), events.append)
        # The run went to the warm process, and a new spare took its place.
        assert handle.process is spare.process  # type: ignore[attr-defined]
        (next_spare,) = executor._ready
        assert next_spare.process is not spare.process and next_spare.process.is_alive()
        wait(lambda: any(isinstance(e, Ready) for e in events))
        handle.close()
        wait(lambda: not handle.alive)
    finally:
        executor.shutdown()
    assert executor._ready == [] and not next_spare.process.is_alive()


def test_a_spare_exits_when_the_server_goes_away() -> None:
    executor = ProcessExecutor(spares=1)
    executor.warm()
    (spare,) = executor._ready
    spare.commands.close()  # what the server's death looks like from the child
    spare.process.join(timeout=60)
    assert spare.process.exitcode == 0


def test_the_process_executor_with_one_spare_is_the_default() -> None:
    fields = Settings.model_fields
    assert fields["executor"].default == "process" and fields["spare_workers"].default == 1


def test_a_frame_that_cannot_be_encoded_is_dropped_and_the_next_one_published(
    manager: RunManager,
) -> None:
    run, _ = manager.create(SPEC)
    record = manager._runs[run["id"]]
    manager._on_event(record, FrameTaken(1, 1, {"loss": object()}))
    assert record.hub.latest is None
    manager._on_event(record, FrameTaken(2, 2, {"loss": 0.5}))
    assert record.hub.latest is not None and record.hub.latest.seq == 2


def _exited(manager: RunManager, rid: str) -> bool:
    """The run's worker has exited and the manager has handled the exit (under the lock it takes
    for it: the handle goes before the rows, in one step seen from outside)."""
    with manager._lock:
        return manager._runs[rid].handle is None


def test_an_ended_run_lets_go_of_its_rows_once_its_worker_is_gone(manager: RunManager) -> None:
    run, owner = manager.create(SPEC)
    rid = run["id"]
    manager.action(rid, "start", owner=owner)
    wait(lambda: len(manager.metrics(rid)) > 2 * ENDED_MEMORY_ROWS)
    manager.action(rid, "stop", owner=owner)
    wait(lambda: _exited(manager, rid))
    assert len(manager._runs[rid].metrics) <= ENDED_MEMORY_ROWS + 1  # a thinned copy in memory
    rows = manager.metrics(rid)  # every row, from the store
    assert [r["step"] for r in rows] == list(range(1, manager.get(rid)["step"] + 1))
    assert len(manager.metric_curve(rid, 32)) <= 33


def test_the_servers_frame_share_reaches_the_runs_telemetry_budget(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, executor="thread", frame_share=0.3)
    manager = RunManager(
        settings, Store(settings.resolved_database_url), ThreadExecutor(FakeTrainer)
    )
    try:
        run, _ = manager.create(SPEC)
        assert manager._runs[run["id"]].handle.worker.budget.share == 0.3
    finally:
        manager.shutdown()
