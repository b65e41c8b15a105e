"""Target encodings shared by the datasets."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from glassnet.data.dataset import FloatArray


def one_hot(labels: NDArray[np.integer], n_classes: int) -> FloatArray:
    """Class indices [N] -> one-hot rows [N, n_classes]."""
    encoded = np.zeros((labels.shape[0], n_classes))
    encoded[np.arange(labels.shape[0]), labels] = 1.0
    return encoded


def binary_column(labels: NDArray[np.integer]) -> FloatArray:
    """0/1 labels [N] -> one 0/1 column [N, 1]."""
    return labels.astype(np.float64).reshape(-1, 1)
