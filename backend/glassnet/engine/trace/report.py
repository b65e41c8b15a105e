"""Tensors to JSON-able nested lists, with size bounds for the optional detail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

Nested = Any  # float | None | list[Nested]


@dataclass(frozen=True)
class Limits:
    """How many numbers an optional detail (per-example gradients, patches) may hold."""

    per_example_grads: int = 100_000
    receptive_fields: int = 50_000


def to_list(t: Tensor | None) -> Nested:
    """Nested Python floats; NaN and ±inf become None (JSON has no such numbers)."""
    if t is None:
        return None
    # One device→host copy per reported tensor; the trace is small by construction.
    t = t.detach().to("cpu", torch.float64)
    if bool(torch.isfinite(t).all()):
        return t.tolist()
    return _with_none(t.tolist())


def _with_none(x: Any) -> Any:
    if isinstance(x, list):
        return [_with_none(v) for v in x]
    return x if x == x and x not in (float("inf"), float("-inf")) else None


def bounded(t: Tensor | None, limit: int) -> Nested:
    """`to_list(t)`, or None when t holds more than `limit` numbers."""
    if t is None or t.numel() > limit:
        return None
    return to_list(t)


def book_rounding(decimals: int) -> Callable[[Tensor], Tensor]:
    """Round half away from zero to `decimals` places, as the book's hand calculations do.

    The tiny nudge keeps values whose decimal form ends in 5 (0.03285, stored as 0.0328499…)
    rounding up like the printed tables, where round-half-even on the binary value would not.
    """
    scale = 10.0**decimals

    def rounded(t: Tensor) -> Tensor:
        return torch.sign(t) * torch.floor(t.abs() * scale + 0.5 + 1e-9) / scale

    return rounded
