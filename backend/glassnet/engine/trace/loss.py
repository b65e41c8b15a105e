"""Losses, their reduction over the examples, and ∂E/∂a (or δ directly) at the output.

half_sse is the book's ½Σ(t − a)², summed over the examples; the others are means, as the engine
computes them (`glassnet.engine.losses.REDUCTION`). A request may ask for either reduction: the
book's Table 16 sums its cross-entropy gradients.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from glassnet.engine.trace.errors import TraceError

LOSSES = ("half_sse", "mse", "cross_entropy", "bce")


@dataclass(frozen=True)
class LossResult:
    """E, E per example, the network's reported outputs, ∂E/∂a, and δ when the loss fixes it."""

    value: Tensor
    per_example: Tensor
    outputs: Tensor
    dE_da: Tensor
    delta: Tensor | None


def evaluate(loss: str, reduction: str, a: Tensor, t: Tensor, activation: str) -> LossResult:
    """E(a, t) and its gradient for output activations a (one row per example)."""
    if loss not in LOSSES:
        raise TraceError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}", "/loss")
    if tuple(a.shape) != tuple(t.shape):
        raise TraceError(
            f"targets have shape {list(t.shape)[1:]} per example but the network outputs "
            f"{list(a.shape)[1:]}",
            "/targets",
        )
    n = a.shape[0]
    # Mean over examples (cross_entropy) or over every output (mse, bce, as torch's default).
    per_output_scale = 1.0 / a.numel() if reduction == "mean" else 1.0
    per_example_scale = 1.0 / n if reduction == "mean" else 1.0
    if loss == "half_sse":
        per = 0.5 * ((t - a) ** 2).sum(dim=1)
        scale = per_example_scale
        return _result(per, scale, a, (a - t) * scale, None)
    if loss == "mse":
        per = ((t - a) ** 2).sum(dim=1)
        scale = per_output_scale
        return _result(per, scale, a, 2 * (a - t) * scale, None)
    if loss == "cross_entropy":
        scale = per_example_scale
        if activation == "softmax":
            p = a
            dE_da = -t / p * scale
        elif activation == "linear":
            # The outputs are logits; softmax belongs to the loss (as torch's cross_entropy).
            p = torch.softmax(a, dim=1)
            dE_da = (p - t) * scale
        else:
            raise TraceError(
                f"cross_entropy needs a softmax (or linear) output layer, not {activation!r}",
                "/loss",
            )
        per = -(t * torch.log(p)).sum(dim=1)
        # δ = P − t (eqs. 75–87): no division by P, exact even where P underflows.
        return _result(per, scale, p, dE_da, (p - t) * scale)
    scale = per_output_scale
    if activation == "sigmoid":
        p, delta = a, (a - t) * scale
        dE_da = (a - t) / (a * (1 - a)) * scale
    elif activation == "linear":
        p = torch.sigmoid(a)
        dE_da = delta = (p - t) * scale
    else:
        raise TraceError(
            f"bce needs a sigmoid (or linear) output layer, not {activation!r}", "/loss"
        )
    per = -(t * torch.log(p) + (1 - t) * torch.log1p(-p)).sum(dim=1)
    return _result(per, scale, p, dE_da, delta)


def _result(
    per: Tensor, scale: float, outputs: Tensor, dE_da: Tensor, delta: Tensor | None
) -> LossResult:
    return LossResult(per.sum() * scale, per, outputs, dE_da, delta)
