"""Input preprocessing: none, min-max or standardise, fitted on the training split only.

Statistics come from the training inputs alone and are then applied unchanged to the validation
inputs and to decision-boundary grids, so no information leaks from validation into training.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from glassnet.data.dataset import FloatArray

Preprocess = Literal["none", "minmax", "standardize"]
PREPROCESS_OPTIONS: tuple[Preprocess, ...] = ("none", "minmax", "standardize")


@dataclass(frozen=True, eq=False)
class Scaler:
    """x' = (x - shift) / scale, with shift and scale broadcastable against the inputs."""

    kind: Preprocess
    shift: FloatArray
    scale: FloatArray

    def transform(self, x: FloatArray) -> FloatArray:
        """Apply the fitted statistics to any inputs with the training inputs' trailing shape."""
        if self.kind == "none":
            return np.array(x, dtype=np.float64)
        return (np.asarray(x, dtype=np.float64) - self.shift) / self.scale


def fit(kind: Preprocess, x_train: FloatArray, axes: tuple[int, ...] = (0,)) -> Scaler:
    """Fit a scaler on the training inputs, reducing over `axes`.

    min-max maps the training range of each feature to [0, 1]; standardise gives each feature mean 0
    and (population) standard deviation 1. A constant feature keeps scale 1 so it maps to 0 rather
    than dividing by zero. With no training rows there is nothing to fit and the data pass unchanged.
    """
    x = np.asarray(x_train, dtype=np.float64)
    if kind == "none" or x.shape[0] == 0:
        return Scaler("none", np.zeros(1), np.ones(1))
    if kind == "minmax":
        shift = x.min(axis=axes, keepdims=True)
        spread = x.max(axis=axes, keepdims=True) - shift
    elif kind == "standardize":
        shift = x.mean(axis=axes, keepdims=True)
        spread = x.std(axis=axes, keepdims=True)
    else:
        raise ValueError(f"unknown preprocessing '{kind}'")
    scale = np.where(spread > 0, spread, 1.0)
    # Drop the example axis so the scaler also applies to a single example or a grid of points.
    return Scaler(kind, shift[0], scale[0])
