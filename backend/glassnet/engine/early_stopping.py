"""Early stopping (`training.stop.early_stopping`), as an epoch-end handler.

Each epoch's monitored loss (the validation loss, or the training loss where there is no
validation split or it is asked for) either improves on the best by more than `min_delta`, and
becomes the best (its weights copied when they are to be restored), or counts one more epoch
without improvement. After `patience` such epochs in a row the run finishes, its best epoch's
weights restored if asked.
"""

from __future__ import annotations

import copy
from typing import Any, Protocol

from torch import Tensor, nn

from glassnet.engine.stop_rules import StoppableRun, finish
from shared_schemas.runspec import EarlyStoppingSpec


class WatchedRun(StoppableRun, Protocol):
    """What early stopping reads of the run, beyond a stop rule's: the model to copy and restore."""

    @property
    def model(self) -> nn.Module: ...


class EarlyStopping:
    """The best epoch so far and the epochs since it (what a checkpoint keeps of early stopping).

    `best`: (monitored value, epoch, copied weights — empty unless restoring) of the best epoch,
    None before the first; `bad_epochs`: epochs since without improvement; `best_epoch`: the best
    epoch once early stopping has ended the run, else None."""

    def __init__(self, spec: EarlyStoppingSpec) -> None:
        self.spec = spec
        self.best: tuple[float, int, dict[str, Tensor]] | None = None
        self.bad_epochs = 0
        self.best_epoch: int | None = None

    def __call__(self, run: WatchedRun) -> None:
        """Compare the epoch's monitored loss with the best; finish after `patience` epochs
        without improvement."""
        row = run.epoch_metrics
        if run.done or row is None:
            return
        es = self.spec
        monitor: float = (
            row["val_loss"]
            if es.monitor == "val_loss" and row["val_loss"] is not None
            else row["loss"]
        )
        if self.best is None or monitor < self.best[0] - es.min_delta:
            # a copy of every weight on each improvement: the price of restoring the best
            state: dict[str, Any] = copy.deepcopy(run.model.state_dict()) if es.restore_best else {}
            self.best = (monitor, run.epoch, state)
            self.bad_epochs = 0
            return
        self.bad_epochs += 1
        if self.bad_epochs < es.patience:
            return
        best_value, best_epoch, state = self.best
        if es.restore_best:
            run.model.load_state_dict(state)
        self.best_epoch = best_epoch
        finish(
            run,
            f"early stopping: no improvement for {es.patience} epochs; "
            f"{'restored' if es.restore_best else 'best was'} epoch {best_epoch} "
            f"({es.monitor} {best_value:.4g})",
        )
