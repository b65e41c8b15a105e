"""Train/validation split."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def split_indices(
    n: int, train_fraction: float, rng: np.random.Generator, keep_order: bool = False
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return (train, validation) row indices for `n` rows.

    round(train_fraction * n) rows go to training, at least one. The rows are drawn by a random
    permutation from `rng`, so the split is reproducible from the seed. With `keep_order` each split
    lists its rows in their original order, and a train_fraction of 1 keeps every row in place.
    """
    n_train = min(n, max(1, round(train_fraction * n)))
    if keep_order and n_train == n:
        return np.arange(n), np.arange(0)
    order = rng.permutation(n)
    train, val = order[:n_train], order[n_train:]
    if keep_order:
        train, val = np.sort(train), np.sort(val)
    return train, val
