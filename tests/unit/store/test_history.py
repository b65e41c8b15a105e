"""The run history's store side: a run's previous run, deletion of its rows and its files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from glassnet.store import RunFilter, RunHistory, RunRow, Store, delete_run_files

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'db.sqlite3'}")


def _run(store: Store, rid: str, owner: str, minute: int, state: str = "finished") -> None:
    at = T0 + timedelta(minutes=minute)
    store.create_run(
        RunRow(id=rid, spec={"seed": minute}, state=state, owner_hash=owner, created_at=at)
    )


def test_the_previous_run_is_the_same_owners_run_just_before(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _run(store, "a1", "alice", 0)
    _run(store, "b1", "bob", 1)
    _run(store, "a2", "alice", 2)
    _run(store, "a3", "alice", 3)
    history = RunHistory(store)
    rows, total = history.page(RunFilter(), limit=10, offset=0)
    assert total == 4 and [r.id for r in rows] == ["a3", "a2", "b1", "a1"]
    previous = {k: v.id for k, v in history.previous(rows).items()}
    assert previous == {"a3": "a2", "a2": "a1"}
    store.close()


def test_the_previous_run_may_lie_outside_the_page(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _run(store, "a1", "alice", 0)
    _run(store, "a2", "alice", 1)
    history = RunHistory(store)
    rows, _ = history.page(RunFilter(), limit=1, offset=0)
    assert {k: v.id for k, v in history.previous(rows).items()} == {"a2": "a1"}
    store.close()


def test_deleting_a_run_keeps_the_others_and_their_metrics(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _run(store, "a1", "alice", 0)
    _run(store, "a2", "alice", 1)
    store.add_metrics("a1", [{"step": 1, "epoch": 1, "loss": 0.5}])
    store.add_metrics("a2", [{"step": 1, "epoch": 1, "loss": 0.4}])
    history = RunHistory(store)
    assert history.delete("a1") is True
    assert history.delete("a1") is False
    assert store.get_run("a1") is None and store.metrics("a1") == []
    assert store.metrics("a2")[0]["loss"] == 0.4
    store.close()


def test_run_files_go_and_shared_or_other_runs_files_stay(tmp_path: Path) -> None:
    for folder, name in [
        ("weights", "run1234.safetensors"),
        ("frames", "run1234.frame"),
        ("checkpoints", "run1234"),
        ("frames", "run12345.frame"),  # another run whose id starts the same
        ("uploads", "run1234.csv"),  # uploads are shared by specs, never one run's
    ]:
        (tmp_path / folder).mkdir(exist_ok=True)
        path = tmp_path / folder / name
        if folder == "checkpoints":
            path.mkdir()
            (path / "step-10.pt").write_bytes(b"x")
        else:
            path.write_bytes(b"x")
    removed = delete_run_files(tmp_path, "run1234")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in removed) == [
        "checkpoints/run1234",
        "frames/run1234.frame",
        "weights/run1234.safetensors",
    ]
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["frames/run12345.frame", "uploads/run1234.csv"]


def test_a_malformed_run_id_touches_no_file(tmp_path: Path) -> None:
    (tmp_path / "weights").mkdir()
    (tmp_path / "weights" / "x.safetensors").write_bytes(b"x")
    assert delete_run_files(tmp_path, "../weights") == []
    assert delete_run_files(tmp_path, "") == []
    assert (tmp_path / "weights" / "x.safetensors").exists()
