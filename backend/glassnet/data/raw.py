"""What every dataset builder returns before the split and the preprocessing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from glassnet.data.dataset import FloatArray, Task


@dataclass(frozen=True, eq=False)
class RawData:
    """All examples of one dataset, unsplit and unscaled.

    `x` is [N, *input_shape] and `y` [N, n_targets]. `points` are the original 2-D coordinates
    when the inputs derive from 2-D points, and `featurize` maps such points to the unscaled inputs
    (identity for plain 2-column tables). `keep_order` keeps the given row order inside each split
    (tables a teacher refers to by row); otherwise the split shuffles. `stats_axes` are the axes the
    preprocessing statistics are taken over: (0,) = per feature, (0, 2, 3) = per image channel.
    """

    x: FloatArray
    y: FloatArray
    task: Task
    feature_names: list[str]
    target_names: list[str]
    description: str
    points: FloatArray | None = None
    featurize: Callable[[FloatArray], FloatArray] | None = None
    keep_order: bool = False
    stats_axes: tuple[int, ...] = (0,)
