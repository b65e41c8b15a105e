"""Gathering a question's answers without names: counts per option, a histogram of numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

NUMBER_BINS = 10


def count_options(options: Sequence[str], values: Sequence[Any]) -> list[dict[str, Any]]:
    """How many students chose each option, in the options' order (zeros included)."""
    counts = dict.fromkeys(options, 0)
    for v in values:
        if v in counts:
            counts[v] += 1
    return [{"option": o, "count": c} for o, c in counts.items()]


def histogram(values: Sequence[float], bins: int = NUMBER_BINS) -> dict[str, Any] | None:
    """Equal bins over [min, max] of the numbers (numpy's rule: the last bin includes max), with
    their mean and median; None when there are no numbers yet."""
    if not values:
        return None
    x = np.asarray(values, dtype=np.float64)
    counts, edges = np.histogram(x, bins=bins)
    return {
        "lo": float(edges[0]),
        "hi": float(edges[-1]),
        "counts": [int(c) for c in counts],
        "mean": float(x.mean()),
        "median": float(np.median(x)),
    }
