from datetime import UTC
from pathlib import Path

import numpy as np
import pytest

from glassnet.store import RunRow, Store, UploadStore, WeightStore
from glassnet.store.db import clean_metrics, short_id


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'db' / 'g.sqlite3'}")


def test_experiments_crud_and_aware_timestamps(store: Store) -> None:
    row = store.create_experiment("a", {"x": 1})
    got = store.get_experiment(row.id)
    assert got is not None and got.spec == {"x": 1}
    assert got.created_at.tzinfo is not None
    assert got.created_at.utcoffset() == UTC.utcoffset(None)
    updated = store.update_experiment(row.id, "b", None)
    assert updated is not None and updated.name == "b" and updated.updated_at >= got.updated_at
    assert [e.id for e in store.list_experiments()] == [row.id]
    assert store.delete_experiment(row.id)
    assert not store.delete_experiment(row.id)
    assert store.update_experiment("missing", "x", None) is None


def test_runs_metrics_and_interruption(store: Store) -> None:
    for rid, state in (("r1", "running"), ("r2", "finished"), ("r3", "paused")):
        store.create_run(RunRow(id=rid, spec={}, state=state, owner_hash="h"))
    store.add_metrics("r1", [{"step": 1, "epoch": 1, "loss": float("nan"), "junk": 3}])
    assert store.metrics("r1") == [
        {
            "step": 1,
            "epoch": 1,
            "loss": None,
            "val_loss": None,
            "accuracy": None,
            "val_accuracy": None,
            "lr": None,
        }
    ]
    assert sorted(store.mark_interrupted()) == ["r1", "r3"]
    r1 = store.get_run("r1")
    assert r1 is not None and r1.state == "interrupted" and r1.stop_reason
    r2 = store.get_run("r2")
    assert r2 is not None and r2.state == "finished"
    store.clear_metrics("r1")
    assert store.metrics("r1") == []


def test_store_reopens_the_same_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    a = Store(url)
    exp = a.create_experiment("kept", {})
    a.close()
    b = Store(url)
    assert b.get_experiment(exp.id) is not None


def test_clean_metrics_and_short_ids() -> None:
    assert clean_metrics({"loss": float("inf"), "accuracy": "0.5"})["accuracy"] == 0.5
    assert clean_metrics({"loss": float("inf")})["loss"] is None
    ids = {short_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 8 and i.isalnum() for i in ids)


def test_uploads_are_checked_and_ids_cannot_escape(tmp_path: Path) -> None:
    uploads = UploadStore(tmp_path)
    info = uploads.save("a,b\n1,2\n")
    assert info.rows == 1 and info.columns == ["a", "b"]
    assert uploads.read(info.upload_id) == "a,b\n1,2\n"
    assert uploads.read("../../etc/passwd") is None
    for bad in ("", "onlyheader\n", "a\n1\n", "a,b\n1,2,3\n"):
        with pytest.raises(ValueError):
            uploads.save(bad)


def test_weights_round_trip_without_pickle(tmp_path: Path) -> None:
    weights = WeightStore(tmp_path)
    weights.save("run1", {"blocks.h.weight": np.ones((2, 3), dtype=np.float32)})
    loaded = weights.load("run1")
    assert loaded is not None
    np.testing.assert_array_equal(loaded["blocks.h.weight"], np.ones((2, 3)))
    assert weights.load("nope") is None
    assert weights.load("../x") is None


def test_experiments_of_one_owner_are_listed_and_counted(store: Store) -> None:
    mine = store.create_experiment("a", {}, owner_hash="h1")
    store.create_experiment("b", {}, owner_hash="h2")
    store.create_experiment("c", {})
    assert [e.id for e in store.list_experiments(owner_hash="h1")] == [mine.id]
    assert store.count_experiments("h1") == 1
    assert store.count_experiments() == 3


def test_a_database_from_before_experiment_owners_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE experiments (id VARCHAR(32) PRIMARY KEY, name VARCHAR(200), "
            "spec JSON, created_at DATETIME, updated_at DATETIME)"
        )
        conn.execute(
            "INSERT INTO experiments VALUES ('old1', 'kept', '{}', "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    store = Store(f"sqlite:///{path}")
    old = store.get_experiment("old1")
    assert old is not None and old.name == "kept" and old.owner_hash is None
    assert store.create_experiment("new", {}, owner_hash="h").owner_hash == "h"
    store.close()


def test_a_database_from_before_run_end_times_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE runs (id VARCHAR(32) PRIMARY KEY, name VARCHAR(200), "
            "experiment_id VARCHAR(32), spec JSON, state VARCHAR(16), owner_hash VARCHAR(64), "
            "step INTEGER, epoch INTEGER, latest_metrics JSON, stop_reason TEXT, diagnosis JSON, "
            "created_at DATETIME, updated_at DATETIME)"
        )
        conn.execute(
            "INSERT INTO runs VALUES ('old1', NULL, NULL, '{}', 'finished', 'h', 5, 1, NULL, "
            "NULL, NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    store = Store(f"sqlite:///{path}")
    old = store.get_run("old1")
    assert old is not None and old.state == "finished" and old.ended_at is None
    store.close()
