"""Standardised random data for the weight-initialisation experiment (FMLPDA ch. 8, Figs 23-27).

The lecture feeds 100 standardised power-plant examples through a deep linear network and watches
var(z) and var(delta) per layer. What matters for that experiment is that every input column has
mean 0 and standard deviation 1, which this set guarantees exactly (not just in expectation).
"""

from __future__ import annotations

import numpy as np

from glassnet.data.dataset import FloatArray
from glassnet.data.raw import RawData


def _standardize_columns(x: FloatArray) -> FloatArray:
    spread = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)


def build(n: int, n_features: int, noise: float, rng: np.random.Generator) -> RawData:
    """n rows of `n_features` standardised columns and a standardised linear regression target.

    The target is s + (noise/100)·ε, where s = x·w is standardised, w and ε are standard normal
    (`noise` in percent, 0-50); the sum is standardised again, so a linear network can fit it up to
    the noise.
    """
    x = _standardize_columns(rng.normal(size=(n, n_features)))
    signal = _standardize_columns((x @ rng.normal(size=n_features)).reshape(-1, 1))
    y = _standardize_columns(signal + noise / 100 * rng.normal(size=(n, 1)))
    points = x.copy() if n_features == 2 else None
    return RawData(
        x=x,
        y=y,
        task="regression",
        feature_names=[f"x{i + 1}" for i in range(n_features)],
        target_names=["t"],
        description=(
            f"{n} random examples, {n_features} standardised features (mean 0, std 1) and a "
            "regression target, for the weight-initialisation experiment."
        ),
        points=points,
        featurize=(lambda p: p.copy()) if points is not None else None,
    )
