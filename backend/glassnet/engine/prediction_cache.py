"""The epoch-end validation pass's outputs, kept for the predictions channel.

Attached to the epoch's end. A live frame's predictions come from the outputs the epoch's
validation pass computed anyway, so a live view costs no extra forward pass; only the first
MAX_EVALUATED examples are ever shown.
"""

from __future__ import annotations

from typing import Any, Protocol

from torch import Tensor

from glassnet.engine.predictions import MAX_EVALUATED, as_tensor


class ValidatedEpoch(Protocol):
    """What the cache reads of the run at an epoch's end."""

    @property
    def epoch(self) -> int: ...

    @property
    def step_count(self) -> int: ...

    @property
    def val_outputs(self) -> Any: ...


class PredictionCache:
    """`outputs`: (epoch, step, the outputs of its validation pass), or None before the first."""

    def __init__(self) -> None:
        self.outputs: tuple[int, int, Tensor] | None = None

    def __call__(self, run: ValidatedEpoch) -> None:
        """Keep the epoch's validation outputs (a run without a validation split has none)."""
        if run.val_outputs is not None:
            self.outputs = (run.epoch, run.step_count, as_tensor(run.val_outputs)[:MAX_EVALUATED])
