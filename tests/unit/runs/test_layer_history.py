"""The summary history: compact records per frame, thinned to stay bounded, kept on disk."""

from __future__ import annotations

from pathlib import Path

from glassnet.runs.layer_history import SummaryHistory, record_of
from glassnet.store.layer_histories import HistoryStore


def _frame(step: int) -> dict:
    q = {
        "stats": {"mean": 0.0, "std": 1.0, "rms": 1.0, "min": -1.0, "max": 1.0, "n": 4},
        "hist": {"lo": -1.0, "hi": 1.0, "counts": [1, 2, 1]},
        "loghist": {"lo": -12.0, "hi": 4.0, "counts": [0, 4]},
    }
    layer = {"id": "h", "kind": "dense", "W": q, "b": q, "z": q, "a": q, "delta": q, "grad_W": q}
    return {"step": step, "layers": [layer], "boundary": {"grid": [0.0] * 1000}}


def test_a_record_keeps_only_w_z_a_delta() -> None:
    rec = record_of(3, _frame(3))
    assert rec is not None and rec["step"] == 3
    assert set(rec["layers"][0]) == {"id", "kind", "W", "z", "a", "delta"}


def test_a_frame_without_layers_records_nothing(tmp_path: Path) -> None:
    history = SummaryHistory(HistoryStore(tmp_path))
    history.record("run1", 1, {"layers": []})
    assert history.records("run1") == []


def test_thinning_keeps_the_span_and_the_bound(tmp_path: Path) -> None:
    history = SummaryHistory(HistoryStore(tmp_path), max_records=8)
    for step in range(100):
        history.record("run1", step, _frame(step))
    steps = [r["step"] for r in history.records("run1")]
    assert len(steps) <= 8 and steps[0] == 0 and steps[-1] == 99 and steps == sorted(steps)


def test_a_byte_cap_bounds_a_run(tmp_path: Path) -> None:
    history = SummaryHistory(HistoryStore(tmp_path), max_bytes=4000)
    for step in range(50):
        history.record("run1", step, _frame(step))
    assert sum(len(r) for r in history._held["run1"].records) <= 4000


def test_persisted_records_come_back_from_disk(tmp_path: Path) -> None:
    history = SummaryHistory(HistoryStore(tmp_path))
    history.record("run1", 0, _frame(0))
    history.record("run1", 5, _frame(5))
    history.persist("run1")
    again = SummaryHistory(HistoryStore(tmp_path))
    assert [r["step"] for r in again.records("run1")] == [0, 5]
    again.forget("run1")
    assert again.records("run1") == []
