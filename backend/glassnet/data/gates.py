"""Logic gates AND, OR and XOR as four-row truth tables."""

from __future__ import annotations

import numpy as np

from glassnet.data.raw import RawData

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH_TABLES: dict[str, list[float]] = {
    "and": [0.0, 0.0, 0.0, 1.0],
    "or": [0.0, 1.0, 1.0, 1.0],
    "xor_gate": [0.0, 1.0, 1.0, 0.0],
}
DESCRIPTIONS: dict[str, str] = {
    "and": "AND truth table (4 rows); a single perceptron can learn it.",
    "or": "OR truth table (4 rows); a single perceptron can learn it.",
    "xor_gate": "XOR truth table (4 rows); no single perceptron can learn it, a hidden layer can.",
}


def build(gate: str) -> RawData:
    """The truth table of `gate`: inputs x1, x2 in {0, 1}, one 0/1 target, rows in table order."""
    return RawData(
        x=INPUTS.copy(),
        y=np.array(TRUTH_TABLES[gate]).reshape(-1, 1),
        task="binary",
        feature_names=["x1", "x2"],
        target_names=[gate.removesuffix("_gate")],
        description=DESCRIPTIONS[gate],
        points=INPUTS.copy(),
        featurize=lambda p: p.copy(),
        keep_order=True,
    )
