"""Losses and their reductions. `half_sse` is the textbook's ½Σ(t − a)², summed over the batch.

Every loss takes the output layer's z as well as a, so softmax + cross-entropy and sigmoid + BCE are
computed from logits (stable) and their δ = ∂L/∂z is the familiar a − t.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor

# How each loss reduces over the batch: gradients are summed for "sum" and averaged for "mean".
REDUCTION = {"half_sse": "sum", "mse": "mean", "cross_entropy": "mean", "bce": "mean"}

DESCRIPTIONS = {
    "half_sse": "½Σ(t − a)², summed over the batch (the textbook's SSE)",
    "mse": "mean of (t − a)² over every output of every example",
    "cross_entropy": "−Σ t·log softmax(z), averaged over the batch (softmax output)",
    "bce": "binary cross-entropy on one sigmoid output, averaged over the batch",
}


def compute_loss(kind: str, z: Tensor, a: Tensor, t: Tensor) -> Tensor:
    """The scalar loss of a batch."""
    if kind == "half_sse":
        return 0.5 * ((t - a) ** 2).sum()
    if kind == "mse":
        return ((t - a) ** 2).mean()
    if kind == "cross_entropy":
        return -(t * F.log_softmax(z, dim=-1)).sum(dim=-1).mean()
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(z, t)
    raise ValueError(f"unknown loss {kind!r}")


def output_delta(kind: str, z: Tensor, a: Tensor, t: Tensor, da_dz: Tensor) -> Tensor:
    """δ = ∂L/∂z of the output layer, written out (the explicit training path and the trace)."""
    n = z.shape[0]
    if kind == "half_sse":
        return (a - t) * da_dz
    if kind == "mse":
        return 2.0 * (a - t) * da_dz / t.numel()
    if kind in ("cross_entropy", "bce"):
        return (a - t) / n
    raise ValueError(f"unknown loss {kind!r}")


def correct(a: Tensor, t: Tensor) -> Tensor:
    """How many predictions match: argmax for several outputs, a ≥ 0.5 against 0/1 targets for one.

    Sequence outputs [B, T, out] count each example as its share of steps predicted right, so
    accuracy stays a fraction of examples."""
    return _count(a, t, 0.5)


def correct_from_logits(z: Tensor, t: Tensor, one_hot: bool = False) -> Tensor:
    """`correct` read from the logits of a softmax or sigmoid output, which a training step then
    need not activate: softmax keeps the order of its inputs and σ(z) ≥ 0.5 exactly where z ≥ 0.
    (Where two logits are closer than the rounding of their probabilities, the logits still tell
    them apart and the probabilities would not.)

    `one_hot`: every target row is one-hot, so a prediction is right where its class holds the
    1: one gather at the predicted class instead of a second argmax, over the targets."""
    if not one_hot or z.shape[-1] == 1:
        return _count(z, t, 0.0)
    hits = t.gather(-1, z.max(dim=-1).indices.unsqueeze(-1)).squeeze(-1)
    if z.dim() > 2:
        return hits.reshape(z.shape[0], -1).mean(dim=1).sum()
    return hits.sum()


def _count(a: Tensor, t: Tensor, cut: float) -> Tensor:
    several = a.shape[-1] > 1
    # max(...).indices is argmax (the first of equal maxima, NaN counting as the maximum) by a
    # kernel about twice as fast on a CPU: this runs on every training step
    matches = (
        a.max(dim=-1).indices == t.max(dim=-1).indices if several else (a >= cut) == (t >= 0.5)
    )
    if a.dim() > 2:
        return matches.reshape(a.shape[0], -1).to(a.dtype).mean(dim=1).sum()
    return matches.sum()


def as_float(value: Tensor | float) -> float:
    """One scalar to the host. On CUDA this is a sync point: call it only when the value is reported."""
    if isinstance(value, Tensor):
        # .item() is exact for every float dtype (float32 → Python float widens without
        # rounding), ~10× cheaper than converting to a float64 tensor first
        return float(value.item())
    return float(value)
