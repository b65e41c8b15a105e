"""The stop rules of a RunSpec (`training.stop`, `training.epochs`), as epoch-end handlers.

The Trainer attaches them in this order, after the metric history: the targets (a perceptron
classifying every example, the loss below `stop.loss_below`), then early stopping
(engine/early_stopping.py), then the epoch limit. Each leaves a run that has already ended alone,
so the first rule that ends the run gives its reason, and a diverged run stays diverged.
"""

from __future__ import annotations

from typing import Any, Protocol

from shared_schemas.runspec import RunSpec


class StoppableRun(Protocol):
    """What a stop rule reads of the run at an epoch's end, and how it ends it."""

    @property
    def spec(self) -> RunSpec: ...

    @property
    def epoch(self) -> int: ...

    @property
    def epoch_metrics(self) -> dict[str, Any] | None: ...

    @property
    def done(self) -> bool: ...

    def stop(self, status: str = ..., reason: str = ...) -> None: ...


def finish(run: StoppableRun, reason: str) -> None:
    """End the run as finished: it reached what it was set to reach."""
    run.stop("finished", reason)


def stop_on_target(run: StoppableRun) -> None:
    """Finish a perceptron that classifies every training example correctly, or a run whose
    epoch loss fell below `stop.loss_below`."""
    row = run.epoch_metrics
    if run.done or row is None:
        return
    training = run.spec.training
    loss_below = training.stop.loss_below
    if training.trainer == "perceptron" and row.get("accuracy") == 1.0:
        finish(run, "converged: every training example is classified correctly")
    elif loss_below is not None and row["loss"] < loss_below:
        finish(run, f"loss {row['loss']:.3g} fell below {loss_below:g}")


def stop_at_epoch_limit(run: StoppableRun) -> None:
    """Finish the run at `training.epochs` epochs."""
    epochs = run.spec.training.epochs
    if not run.done and run.epoch >= epochs:
        finish(run, f"reached {epochs} epochs")
