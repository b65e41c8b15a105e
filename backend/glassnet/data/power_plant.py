"""The lecture's four power-plant rows (Kelleher et al., FMLPDA ch. 8, Tables 1-3 and 14).

Inputs are ambient temperature (°C) and relative humidity (%); the target is electrical output (MW).
The normalised variant is range normalisation with the Table 2 minimum and maximum, rounded to two
decimals: the lecture uses these rounded values in every calculation, so they are the data here.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from glassnet.data.dataset import FloatArray, Task
from glassnet.data.raw import RawData
from glassnet.data.targets import one_hot

COLUMNS = ("ambient_temperature", "relative_humidity", "electrical_output")

# Table 1: raw hourly samples d1..d4.
TABLE_1 = np.array(
    [
        [3.21, 86.34, 491.35],
        [31.41, 68.50, 430.37],
        [19.31, 30.59, 463.00],
        [20.64, 99.97, 447.14],
    ]
)
# Table 2: minimum and maximum of each column over the whole dataset.
TABLE_2_MIN = np.array([1.81, 25.56, 420.26])
TABLE_2_MAX = np.array([37.11, 100.16, 495.76])

# Table 14: the normalised target binned as low <= 0.33 < medium <= 0.66 < high.
BIN_EDGES = (0.33, 0.66)
BIN_NAMES = ("low", "medium", "high")


def normalized_table() -> FloatArray:
    """Table 3: (Table 1 - min) / (max - min) per column, rounded to 2 decimals."""
    exact = (TABLE_1 - TABLE_2_MIN) / (TABLE_2_MAX - TABLE_2_MIN)
    # Python's round gives the double nearest the 2-decimal value, i.e. exactly the printed number.
    return np.array([[round(float(v), 2) for v in row] for row in exact])


def target_bins(normalized_target: FloatArray) -> NDArray[np.int_]:
    """Class index 0 (low), 1 (medium) or 2 (high) for each normalised target value."""
    low, medium = BIN_EDGES
    return np.where(normalized_target <= low, 0, np.where(normalized_target <= medium, 1, 2))


def build(variant: str, target: str) -> RawData:
    """The table as `variant` ("normalized" or "raw") with `target` "value" or "onehot".

    "value" is the output column of the chosen variant (normalised, or MW for raw); "onehot" is the
    softmax example's (low, medium, high) encoding, binned from the normalised output either way.
    """
    normalized = normalized_table()
    table = normalized if variant == "normalized" else TABLE_1.copy()
    task: Task
    if target == "onehot":
        y = one_hot(target_bins(normalized[:, 2]), len(BIN_NAMES))
        task, target_names = "multiclass", list(BIN_NAMES)
    else:
        y = table[:, 2:3].copy()
        task, target_names = "regression", [COLUMNS[2]]
    return RawData(
        x=table[:, :2].copy(),
        y=y,
        task=task,
        feature_names=list(COLUMNS[:2]),
        target_names=target_names,
        description=(
            "The lecture's power-plant table (4 rows): temperature and humidity -> output "
            f"({variant}, target {target})."
        ),
        points=table[:, :2].copy(),
        featurize=lambda p: p.copy(),
        keep_order=True,
    )
