"""The Dataset value the engine trains on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Task = Literal["binary", "multiclass", "regression"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and validation arrays, ready for the network (float64, features preprocessed).

    `x_*` have shape [N, *input_shape] and `y_*` [N, n_targets]. Binary targets are one 0/1 column,
    multi-class targets are one-hot, regression targets are raw numbers. `x_val` and `y_val` may
    have N = 0. `raw_2d_*` hold the original 2-D points whenever the inputs come from 2-D points
    (toy sets, gates, two-column tables), so a decision boundary can be drawn in those coordinates;
    they are None otherwise.
    """

    name: str
    x_train: FloatArray
    y_train: FloatArray
    x_val: FloatArray
    y_val: FloatArray
    input_shape: tuple[int, ...]
    n_targets: int
    task: Task
    feature_names: list[str]
    target_names: list[str]
    description: str
    # [n_targets], or [T, n_targets] for a sequence target at every step
    target_shape: tuple[int, ...] | None = None
    raw_2d_train: FloatArray | None = None
    raw_2d_val: FloatArray | None = None
    # Raw 2-D points -> network inputs: feature expansion followed by the fitted preprocessing.
    to_inputs: Callable[[FloatArray], FloatArray] | None = field(default=None, repr=False)

    def grid_features(self, xy: FloatArray) -> FloatArray:
        """Map raw 2-D points [M, 2] to network inputs [M, F], exactly as the training inputs were.

        Raises ValueError for datasets whose inputs are not 2-D points (check `raw_2d_train`).
        """
        if self.to_inputs is None:
            raise ValueError(f"dataset '{self.name}' has no 2-D coordinates to map")
        points = np.asarray(xy, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"grid_features expects an [M, 2] array, got shape {points.shape}")
        return self.to_inputs(points)

    @property
    def n_train(self) -> int:
        """Number of training examples."""
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        """Number of validation examples."""
        return int(self.x_val.shape[0])
