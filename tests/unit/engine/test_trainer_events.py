"""The trainer's events: a handler attached with `Trainer.on` runs exactly when its cadence is
due, on every training path, and sees the run as it is at that step or epoch; attaching one
changes no number of the run."""

from __future__ import annotations

import math
from typing import Any, Literal

import pytest
from engine_specs import dense_spec, diverging_spec

from glassnet.engine import Event, Trainer

# 60 circle points in batches of 10: 6 steps an epoch
SPEC = dense_spec([4, 1], dtype="float32", epochs=5)
PATHS: list[Literal["auto", "autograd"]] = ["auto", "autograd"]


def _trainer(path: Literal["auto", "autograd"], spec: dict[str, Any] = SPEC) -> Trainer:
    trainer = Trainer(spec, path=path)
    assert trainer.path_name == ("compiled" if path == "auto" else "autograd")
    return trainer


@pytest.mark.parametrize("path", PATHS)
def test_a_step_handler_runs_at_every_nth_step_and_sees_that_steps_loss(path: Any) -> None:
    trainer = _trainer(path)
    seen: list[tuple[int, float | None]] = []
    trainer.on(Event.STEP_COMPLETED, lambda t: seen.append((t.step_count, t.batch_loss)), every=4)
    trainer.train()
    assert [step for step, _ in seen] == [4, 8, 12, 16, 20, 24, 28]
    for step, loss in seen:
        reference = _trainer(path)
        reference.step(step)
        assert loss == reference.batch_loss


@pytest.mark.parametrize("path", PATHS)
def test_attaching_handlers_changes_no_number_of_the_run(path: Any) -> None:
    plain, watched = _trainer(path), _trainer(path)
    plain.train()
    watched.on(Event.STEP_COMPLETED, lambda t: None)
    watched.on(Event.EPOCH_COMPLETED, lambda t: None, every=2)
    watched.train()
    assert watched.metrics == plain.metrics
    assert (watched.step_count, watched.stop_reason) == (plain.step_count, plain.stop_reason)
    for a, b in zip(watched.model.parameters(), plain.model.parameters(), strict=True):
        assert bool((a == b).all())


def test_an_epoch_handler_runs_once_at_its_epoch_and_sees_that_epochs_row() -> None:
    trainer = _trainer("auto")
    rows: list[dict[str, Any]] = []
    trainer.on(Event.EPOCH_COMPLETED, lambda t: rows.append(dict(t.epoch_metrics or {})), once=3)
    trainer.train()
    assert [(row["epoch"], row["step"]) for row in rows] == [(3, 18)]
    assert rows[0] == trainer.metrics[2]


def test_epoch_started_is_counted_by_the_epoch_about_to_run() -> None:
    trainer = _trainer("auto")
    started: list[tuple[int, int]] = []
    trainer.on(Event.EPOCH_STARTED, lambda t: started.append((t.epoch + 1, t.step_count)))
    trainer.train()
    assert started == [(1, 0), (2, 6), (3, 12), (4, 18), (5, 24)]


def test_the_run_starts_and_ends_once_its_end_after_its_last_epoch() -> None:
    trainer = _trainer("auto")
    log: list[str] = []
    trainer.on(Event.RUN_STARTED, lambda t: log.append(f"started {t.status}"))
    trainer.on(Event.EPOCH_COMPLETED, lambda t: log.append(f"epoch {t.epoch}"))
    trainer.on(Event.RUN_ENDED, lambda t: log.append(f"ended {t.status}"))
    trainer.step(4)
    trainer.train()
    trainer.step(3)  # a finished run takes no more steps, and ends no more
    assert log == ["started running", *(f"epoch {e}" for e in range(1, 6)), "ended finished"]


def test_a_user_stop_ends_the_run_once() -> None:
    trainer = _trainer("auto")
    ended: list[str | None] = []
    trainer.on(Event.RUN_ENDED, lambda t: ended.append(t.stop_reason))
    trainer.step(3)
    trainer.stop()
    trainer.stop("interrupted", "gone")
    assert ended == ["stopped by the user"]


def test_a_handler_can_end_the_run_at_its_epoch() -> None:
    trainer = _trainer("auto", dense_spec([4, 1], dtype="float32", epochs=100))
    trainer.on(Event.EPOCH_COMPLETED, lambda t: t.stop("finished", "enough"), once=3)
    trainer.train()
    assert (trainer.status, trainer.stop_reason, trainer.epoch) == ("finished", "enough", 3)
    assert len(trainer.metrics) == 3


@pytest.mark.parametrize("path", PATHS)
def test_a_step_handler_can_end_the_run_at_its_step(path: Any) -> None:
    trainer = _trainer(path, dense_spec([4, 1], dtype="float32", epochs=100))
    trainer.on(Event.STEP_COMPLETED, lambda t: t.stop("stopped", "seen enough"), once=9)
    trainer.train()
    assert (trainer.status, trainer.step_count, trainer.epoch) == ("stopped", 9, 1)


def test_a_detached_handler_runs_no_more() -> None:
    trainer = _trainer("auto")
    steps: list[int] = []
    handle = trainer.on(Event.STEP_COMPLETED, lambda t: steps.append(t.step_count), every=2)
    trainer.step(5)
    handle.remove()
    trainer.train()
    assert steps == [2, 4]


def test_a_diverging_step_fires_loss_not_finite_then_the_runs_end() -> None:
    diverging = diverging_spec()
    trainer = _trainer("auto", diverging)
    log: list[str] = []
    trainer.on(Event.LOSS_NOT_FINITE, lambda t: log.append(f"not finite {t.status}"))
    trainer.on(Event.RUN_ENDED, lambda t: log.append(f"ended {t.status}"))
    trainer.train()
    assert log == ["not finite diverged", "ended diverged"]
    assert trainer.batch_loss is not None and not math.isfinite(trainer.batch_loss)
    assert trainer.diagnosis is not None and trainer.stop_reason == trainer.diagnosis["message"]
