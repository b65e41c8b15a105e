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
