"""The run's metric history: one row per epoch, thinned so that a long run stays small.

Attached to the epoch's end. Past MAX_HISTORY rows the history keeps every other row and from then
on records every 2nd epoch (then every 4th…): a run of any length holds at most MAX_HISTORY rows,
spread evenly over the whole run, the first epoch always among them. At the run's end its last
epoch's row closes the history, on the stride or not, so the curve runs to where the run stopped.
"""

from __future__ import annotations

from typing import Any, Protocol

MAX_HISTORY = 20_000  # metric rows kept; older ones are thinned to every other row


class EpochEnd(Protocol):
    """What the history reads of the run at an epoch's end."""

    @property
    def epoch(self) -> int: ...

    @property
    def epoch_metrics(self) -> dict[str, Any] | None: ...


class MetricHistory:
    """The epoch rows kept (`rows`) and the epochs between two of them (`stride`)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.stride = 1

    def __call__(self, run: EpochEnd) -> None:
        """Keep the epoch's row if its epoch is on the stride; halve the history when full."""
        row = run.epoch_metrics
        if row is None:
            return
        if run.epoch % self.stride == 0 or run.epoch == 1:
            self.rows.append(row)
        if len(self.rows) > MAX_HISTORY:
            self.rows = self.rows[::2]
            self.stride *= 2

    def close(self, run: EpochEnd) -> None:
        """At the run's end: its last finished epoch's row ends the history."""
        row = run.epoch_metrics
        if row is not None and (not self.rows or self.rows[-1]["epoch"] != row["epoch"]):
            self.rows.append(row)
