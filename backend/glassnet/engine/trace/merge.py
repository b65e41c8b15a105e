"""Where branches meet: an add (residual connection, optionally with stochastic depth) and a
concat. Backward, δ splits: each input receives its share of ∂E/∂a."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from glassnet.engine.trace.masks import StepMasks
from glassnet.engine.trace.report import Limits, to_list
from glassnet.engine.trace.weighted import TracedLayer


class MergeLayer(TracedLayer):
    """A node fed by several inputs: its maths lives in `forward_inputs` and
    `forward_with_updated_inputs`; the one-input forms pass the single input on. Its record
    gives a, the inputs and ∂E/∂(each input)."""

    dE_dinputs: list[Tensor]  # recorded by `backward_inputs`, in the order of the inputs

    def __init__(self, node_id: str, pointer: str, inputs: tuple[str, ...]) -> None:
        super().__init__(node_id, pointer)
        self.inputs = inputs

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_inputs([x])

    def forward_with_updated(self, x: Tensor) -> Tensor:
        return self.forward_with_updated_inputs([x])

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(
            a=to_list(self.a),
            inputs=list(self.inputs),
            dE_dinputs={i: to_list(g) for i, g in zip(self.inputs, self.dE_dinputs, strict=True)},
        )
        return record


class AddLayer(MergeLayer):
    """a = x_skip + b·(x_2 + …) where the first input is the skip and b = 1, or with stochastic
    depth b ∈ {0, 1} kept with the survival probability for the whole step. Backward every input
    gets the same ∂E/∂a (the branch b times it): the sum passes δ through unchanged."""

    kind = "add"

    def __init__(
        self, node_id: str, pointer: str, inputs: tuple[str, ...], survival: float, masks: StepMasks
    ) -> None:
        super().__init__(node_id, pointer, inputs)
        self.survival = survival
        self.masks = masks

    def forward_inputs(self, xs: list[Tensor]) -> Tensor:
        self.branch_kept = 1.0
        if self.survival < 1:
            kept = self.masks.mask(
                self.id, (), 1 - self.survival, f"add '{self.id}' (0 or 1: the branch kept)"
            )
            self.branch_kept = float(kept)
        self.a = self.forward_with_updated_inputs(xs)
        return self.a

    def forward_with_updated_inputs(self, xs: list[Tensor]) -> Tensor:
        total = xs[0]
        for x in xs[1:]:
            total = total + self.branch_kept * x
        return total

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        return self.backward_inputs(dE_da, delta)[0]

    def backward_inputs(self, dE_da: Tensor, delta: Tensor | None = None) -> list[Tensor]:
        self.dE_da = dE_da
        self.dE_dinputs = [dE_da] + [self.branch_kept * dE_da for _ in self.inputs[1:]]
        return self.dE_dinputs

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(
            survival_probability=self.survival,
            branch_kept=self.branch_kept,
        )
        return record


class ConcatLayer(MergeLayer):
    """a = the inputs joined along their first axis; backward each input gets its slice of ∂E/∂a."""

    kind = "concat"

    def forward_inputs(self, xs: list[Tensor]) -> Tensor:
        self.sizes = [int(x.shape[1]) for x in xs]
        self.a = self.forward_with_updated_inputs(xs)
        return self.a

    def forward_with_updated_inputs(self, xs: list[Tensor]) -> Tensor:
        return torch.cat(xs, dim=1)

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        return self.backward_inputs(dE_da, delta)[0]

    def backward_inputs(self, dE_da: Tensor, delta: Tensor | None = None) -> list[Tensor]:
        self.dE_da = dE_da
        self.dE_dinputs = list(torch.split(dE_da, self.sizes, dim=1))
        return self.dE_dinputs
