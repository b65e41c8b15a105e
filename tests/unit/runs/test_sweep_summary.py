"""A sweep as one list entry: how far its grid has come and its best final loss."""

from __future__ import annotations

from typing import Any

from glassnet.runs.sweep_summary import best_loss, sweep_progress


def _point(state: str, loss: float | None = None) -> dict[str, Any]:
    return {"state": state, "final_metrics": None if loss is None else {"loss": loss}}


def test_progress_counts_waiting_training_and_ended_points() -> None:
    points = [
        _point("queued"),
        _point("running"),
        _point("paused"),
        _point("finished", 0.2),
        _point("diverged"),
        _point("cancelled"),
        _point("deleted"),
    ]
    assert sweep_progress(points) == {
        "total": 7,
        "queued": 1,
        "running": 2,
        "ended": 4,
        "finished": 1,
    }


def test_best_loss_is_the_lowest_final_loss_reported() -> None:
    points = [_point("finished", 0.5), _point("stopped", 0.25), _point("queued")]
    assert best_loss(points) == 0.25
    assert best_loss([_point("queued"), _point("running")]) is None
