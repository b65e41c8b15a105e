"""What the network predicts on one split: the confusion matrix over the split and the outputs for
its first examples (classification), or predicted against true values (regression).

The view built on it is ConvNetJS's grid of test images with their class probabilities, plus the
confusion matrix that says which classes the network mixes up.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import Tensor

MAX_EXAMPLES = 24  # examples whose outputs a frame carries (the first of the split)
MAX_EVALUATED = 2000  # examples in the confusion matrix (the first of the split)
MAX_OUTPUTS = 20  # output values sent per example
MAX_SCATTER = 500  # regression: (true, predicted) pairs sent


def predicted_classes(a: Tensor, threshold: float) -> Tensor:
    """The class each output row picks: argmax over several outputs; for one output, 1 when it
    reaches the threshold (0.5 for 0/1 units, 0 for sign units), as the accuracy metric counts."""
    if a.shape[-1] > 1:
        return a.argmax(dim=-1)
    return (a[:, 0] >= threshold).long()


def true_classes(t: Tensor) -> Tensor:
    """The class of each one-hot (several columns) or 0/1 (one column) target row."""
    if t.shape[-1] > 1:
        return t.argmax(dim=-1)
    return (t[:, 0] >= 0.5).long()


def confusion_matrix(true: Tensor, predicted: Tensor, n_classes: int) -> list[list[int]]:
    """Counts [true class][predicted class]."""
    keys = true * n_classes + predicted
    counts = torch.bincount(keys, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).tolist()


def predictions(
    a: Tensor,
    t: Tensor,
    *,
    task: str,
    class_names: list[str],
    threshold: float,
    split: str,
    step: int,
    epoch: int,
) -> dict[str, Any]:
    """The `predictions` part of a frame from the outputs `a` and targets `t` of a split's first
    examples (at most MAX_EVALUATED), as computed at `step`."""
    a = a.detach().to("cpu", torch.float64)[:MAX_EVALUATED]
    t = t.detach().to("cpu", torch.float64)[:MAX_EVALUATED]
    n = int(a.shape[0])
    shown = a[:MAX_EXAMPLES, :MAX_OUTPUTS].tolist()
    result: dict[str, Any] = {
        "split": split,
        "step": step,
        "epoch": epoch,
        "task": task,
        "n": n,
        "class_names": None,
        "correct": None,
        "confusion": None,
        "scatter": None,
    }
    if task == "regression":
        predicted = a[:, 0]
        truth = t[:, 0]
        result["scatter"] = {
            "target": truth[:MAX_SCATTER].tolist(),
            "predicted": predicted[:MAX_SCATTER].tolist(),
        }
        result["examples"] = [
            {"index": i, "target": float(truth[i]), "predicted": float(predicted[i]), "outputs": o}
            for i, o in enumerate(shown)
        ]
        return result
    n_classes = max(int(a.shape[-1]), 2)
    predicted_cls = predicted_classes(a, threshold)
    true_cls = true_classes(t)
    names = class_names if len(class_names) == n_classes else [str(k) for k in range(n_classes)]
    result["class_names"] = names
    result["correct"] = int((predicted_cls == true_cls).sum()) if n else 0
    result["confusion"] = confusion_matrix(true_cls, predicted_cls, n_classes)
    result["examples"] = [
        {"index": i, "target": int(true_cls[i]), "predicted": int(predicted_cls[i]), "outputs": o}
        for i, o in enumerate(shown)
    ]
    return result


def output_threshold(activation: str) -> float:
    """Where a single output unit's decision flips, as the run's accuracy counts it: 0 for a
    sign unit (its outputs are ±1), 0.5 otherwise."""
    return 0.0 if activation == "sign" else 0.5


def as_tensor(values: Tensor | np.ndarray) -> Tensor:
    """Outputs from any training path (the lean path's are numpy arrays)."""
    return values if isinstance(values, Tensor) else torch.from_numpy(np.asarray(values))
