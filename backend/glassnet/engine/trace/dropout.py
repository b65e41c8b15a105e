"""Inverted dropout in a training step, with its mask (Kelleher's Algorithm 2, rescaled)."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from glassnet.engine.trace.masks import StepMasks
from glassnet.engine.trace.report import Limits, to_list
from glassnet.engine.trace.weighted import TracedLayer


class DropoutLayer(TracedLayer):
    """a = x ⊙ mask / ρ with ρ = 1 − p the keep probability; backward ∂E/∂x = ∂E/∂a ⊙ mask / ρ.

    Algorithm 2 masks δ but leaves out the 1/ρ on the way back; the forward pass scales by 1/ρ, so
    the exact gradient carries it too (the erratum), and that is what this computes.
    """

    kind = "dropout"

    def __init__(self, node_id: str, pointer: str, p: float, masks: StepMasks) -> None:
        super().__init__(node_id, pointer)
        self.p = p
        self.keep = 1.0 - p
        self.masks = masks

    def forward(self, x: Tensor) -> Tensor:
        self.x = x
        if self.p == 0:  # drops nothing: no mask to give or draw
            self.mask = torch.ones_like(x)
        else:
            self.mask = self.masks.mask(
                self.id, tuple(x.shape), self.p, f"dropout '{self.id}' (one row per example)"
            )
        self.a = x * self.mask / self.keep
        return self.a

    def forward_with_updated(self, x: Tensor) -> Tensor:
        return x * self.mask / self.keep

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        self.dE_da = dE_da
        self.dE_dx = dE_da * self.mask / self.keep
        return self.dE_dx

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(
            x=to_list(self.x),
            a=to_list(self.a),
            mask=to_list(self.mask),
            drop_probability=self.p,
            keep_probability=self.keep,
            scale=1.0 / self.keep,
            dE_dx=to_list(self.dE_dx),
        )
        return record
