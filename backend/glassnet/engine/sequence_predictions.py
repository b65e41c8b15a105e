"""Predictions of sequence outputs: the predicted against the target sequence, step by step.

A network whose output is [N, T, out] is read at its last step by the ordinary predictions (the
confusion matrix, the scatter); this adds the whole sequences of the split's first examples, and
for one-hot characters the text the network predicts next, character by character.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

MAX_SEQUENCES = 4  # examples whose sequences a frame carries
MAX_STEPS = 200


def sequence_predictions(
    a: Tensor, t: Tensor, *, task: str, class_names: list[str]
) -> dict[str, Any]:
    """{examples: [{index, target, predicted}], text} for the first examples of a split.

    Regression sequences carry the first output per step; classification the class per step.
    `text` is set when every class is one character (the character model): per example the
    target text and the predicted next characters, aligned step by step.
    """
    a = a.detach()[:MAX_SEQUENCES, :MAX_STEPS].to("cpu", torch.float64)
    t = t.detach()[:MAX_SEQUENCES, :MAX_STEPS].to("cpu", torch.float64)
    examples: list[dict[str, Any]] = []
    if task == "regression":
        for i in range(a.shape[0]):
            examples.append(
                {"index": i, "target": t[i, :, 0].tolist(), "predicted": a[i, :, 0].tolist()}
            )
        return {"examples": examples, "text": None}
    if a.shape[-1] > 1:
        predicted, true = a.argmax(dim=-1), t.argmax(dim=-1)
    else:
        predicted, true = (a[..., 0] >= 0.5).long(), (t[..., 0] >= 0.5).long()
    for i in range(a.shape[0]):
        examples.append(
            {"index": i, "target": true[i].tolist(), "predicted": predicted[i].tolist()}
        )
    text = None
    if class_names and all(len(name) == 1 for name in class_names):
        text = [
            {
                "index": i,
                "target": "".join(class_names[k] for k in true[i].tolist()),
                "predicted": "".join(class_names[k] for k in predicted[i].tolist()),
            }
            for i in range(a.shape[0])
        ]
    return {"examples": examples, "text": text}
