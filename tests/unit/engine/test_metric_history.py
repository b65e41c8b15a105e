"""The metric history keeps a row per epoch until it is full, then halves itself and keeps every
other epoch from then on (the first epoch always kept)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from glassnet.engine import metric_history
from glassnet.engine.metric_history import MetricHistory


def _record(history: MetricHistory, epochs: range) -> None:
    for epoch in epochs:
        history(SimpleNamespace(epoch=epoch, epoch_metrics={"epoch": epoch}))


def test_every_epochs_row_is_kept_until_the_history_is_full() -> None:
    history = MetricHistory()
    _record(history, range(1, 6))
    assert [row["epoch"] for row in history.rows] == [1, 2, 3, 4, 5]


def test_a_full_history_halves_and_then_keeps_every_other_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(metric_history, "MAX_HISTORY", 4)
    history = MetricHistory()
    _record(history, range(1, 8))
    # epochs 1-5 fill it past 4 rows: 1, 3, 5 stay; then every 2nd epoch
    assert [row["epoch"] for row in history.rows] == [1, 3, 5, 6]
    assert history.stride == 2


def test_the_runs_last_epoch_closes_the_history_off_the_stride(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(metric_history, "MAX_HISTORY", 4)
    history = MetricHistory()
    _record(history, range(1, 8))  # epoch 7 is off the stride of 2: not kept while training
    history.close(SimpleNamespace(epoch=7, epoch_metrics={"epoch": 7}))
    assert [row["epoch"] for row in history.rows] == [1, 3, 5, 6, 7]


def test_closing_on_a_kept_epoch_adds_nothing() -> None:
    history = MetricHistory()
    _record(history, range(1, 4))
    history.close(SimpleNamespace(epoch=3, epoch_metrics={"epoch": 3}))
    assert [row["epoch"] for row in history.rows] == [1, 2, 3]


def test_a_trainers_latest_metrics_are_its_last_epochs_while_the_history_is_thinned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engine_specs import dense_spec

    from glassnet.engine import Trainer

    monkeypatch.setattr(metric_history, "MAX_HISTORY", 4)
    trainer = Trainer(dense_spec([3, 1], epochs=9))
    trainer.run_epoch()
    for _ in range(6):
        trainer.run_epoch()
    assert trainer.latest_metrics is not None and trainer.latest_metrics["epoch"] == 7
    assert trainer.metrics[-1]["epoch"] == 6  # epoch 7 is off the stride
    trainer.train()
    assert trainer.status == "finished" and trainer.metrics[-1]["epoch"] == 9
