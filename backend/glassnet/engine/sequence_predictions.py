"""Predictions of sequence outputs: the predicted against the target sequence, step by step.

A network whose output is [N, T, out] is read at its last step by the ordinary predictions (the
confusion matrix, the scatter); this adds the whole sequences of the split's first examples, and
for one-hot characters the text the network predicts next, character by character.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

MAX_SEQUENCES = 4  # examples whose sequences a frame carries
MAX_STEPS = 200
GENERATED_CHARACTERS = 40  # forward passes on a predictions refresh (once an epoch at most)


def is_character_model(class_names: list[str], task: str) -> bool:
    """One-hot characters in and out: every class is one character."""
    return task == "multiclass" and bool(class_names) and all(len(n) == 1 for n in class_names)


@torch.no_grad()
def generate_text(
    outputs_of: Callable[[Tensor], Tensor], window: Tensor, class_names: list[str]
) -> dict[str, str]:
    """Greedy generation: from a window [T, V] of one-hot characters, append the most likely
    next character (the output at the last step) and slide the window on, GENERATED_CHARACTERS
    times. Returns the prompt and what the network wrote after it."""
    prompt = "".join(class_names[k] for k in window.argmax(dim=-1).tolist())
    vocabulary = window.shape[-1]
    written = []
    for _ in range(GENERATED_CHARACTERS):
        a = outputs_of(window[None])
        k = int(a[0, -1].argmax())
        written.append(class_names[k])
        step = torch.zeros(1, vocabulary, dtype=window.dtype, device=window.device)
        step[0, k] = 1
        window = torch.cat([window[1:], step])
    return {"prompt": prompt, "generated": "".join(written)}


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
