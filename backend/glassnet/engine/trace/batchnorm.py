"""Batch normalisation in a training step: the lecture's four steps, their backward pass and the
update of γ and β."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from glassnet.engine.trace.errors import TraceError
from glassnet.engine.trace.report import Limits, to_list
from glassnet.engine.trace.weighted import StartState, TracedLayer, optimizer_step, state_report
from shared_schemas.runspec import OptimizerSpec

# the step's tensors that the trace reports as they are, under the names they carry here
_REPORTED_TENSORS = (
    "x",
    "mean",
    "var",
    "x_hat",
    "a",
    "delta",
    "dE_dx",
    "gamma",
    "beta",
    "grad_gamma",
    "grad_beta",
    "gamma_after",
    "beta_after",
)


class BatchNormLayer(TracedLayer):
    """Per feature (per channel of [C, H, W], over the examples and positions):
    μ_B = mean(x), σ²_B = mean((x − μ_B)²) (biased), x̂ = (x − μ_B)/√(σ²_B + ε), a = γ·x̂ + β.

    Backward from δ = ∂E/∂a: ∂E/∂γ = Σ δ·x̂, ∂E/∂β = Σ δ and, with g = γ·δ and m values per
    feature, ∂E/∂x = (m·g − Σ g − x̂·Σ g·x̂) / (m·√(σ²_B + ε)) — the batch statistics depend on
    every example, so each x reaches every a of its feature.
    """

    kind = "batchnorm"

    def __init__(
        self,
        node_id: str,
        pointer: str,
        gamma: Tensor,
        beta: Tensor,
        eps: float,
        momentum: float,
    ) -> None:
        super().__init__(node_id, pointer)
        self.gamma, self.beta, self.eps, self.momentum = gamma, beta, eps, momentum
        self.gamma_after: Tensor | None = None
        self.beta_after: Tensor | None = None
        self.optimizer_state: dict[str, dict[str, Tensor]] | None = None

    def _axes(self, x: Tensor) -> tuple[int, ...]:
        return (0,) if x.dim() == 2 else (0, 2, 3)

    def _per_feature(self, v: Tensor, x: Tensor) -> Tensor:
        """A [features] vector shaped to broadcast over x ([1, F] or [1, C, 1, 1])."""
        return v.reshape(1, -1) if x.dim() == 2 else v.reshape(1, -1, 1, 1)

    def normalise(self, x: Tensor, gamma: Tensor, beta: Tensor) -> tuple[Tensor, ...]:
        """(μ_B, σ²_B, x̂, a) of batch x with scale γ and shift β."""
        axes = self._axes(x)
        mean = x.mean(dim=axes)
        var = ((x - self._per_feature(mean, x)) ** 2).mean(dim=axes)
        std = torch.sqrt(var + self.eps)
        x_hat = (x - self._per_feature(mean, x)) / self._per_feature(std, x)
        a = self._per_feature(gamma, x) * x_hat + self._per_feature(beta, x)
        return mean, var, x_hat, a

    def forward(self, x: Tensor) -> Tensor:
        self.x = x
        self.m = x.numel() // x.shape[1]
        if self.m < 2:
            raise TraceError(
                f"batch norm '{self.id}' normalises each feature over the batch, which needs "
                f"more than one value per feature; trace at least two examples",
                "/inputs",
            )
        self.mean, self.var, self.x_hat, self.a = self.normalise(x, self.gamma, self.beta)
        return self.a

    def forward_with_updated(self, x: Tensor) -> Tensor:
        assert self.gamma_after is not None and self.beta_after is not None
        return self.normalise(x, self.gamma_after, self.beta_after)[3]

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        self.dE_da = self.delta = dE_da
        axes = self._axes(self.x)
        self.grad_gamma = (dE_da * self.x_hat).sum(dim=axes)
        self.grad_beta = dE_da.sum(dim=axes)
        g = dE_da * self._per_feature(self.gamma, self.x)
        std = self._per_feature(torch.sqrt(self.var + self.eps), self.x)
        self.dE_dx = (
            self.m * g
            - g.sum(dim=axes, keepdim=True)
            - self.x_hat * (g * self.x_hat).sum(dim=axes, keepdim=True)
        ) / (self.m * std)
        return self.dE_dx

    def update(self, learning_rate: float) -> None:
        self.gamma_after = self.gamma - learning_rate * self.grad_gamma
        self.beta_after = self.beta - learning_rate * self.grad_beta

    def update_with(self, spec: OptimizerSpec, start: StartState | None = None) -> None:
        """One step of the training optimiser on γ and β from fresh state (or `start`), keeping
        its state."""
        after, self.optimizer_state = optimizer_step(
            spec,
            {"gamma": (self.gamma, self.grad_gamma), "beta": (self.beta, self.grad_beta)},
            start,
        )
        self.gamma_after, self.beta_after = after["gamma"], after["beta"]

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        # What evaluation will use, updated as torch does from 0 and 1: the momentum-weighted
        # batch mean and the unbiased batch variance σ²_B·m/(m − 1).
        unbiased = self.var * self.m / (self.m - 1)
        record.update({name: to_list(getattr(self, name)) for name in _REPORTED_TENSORS})
        record.update(
            eps=self.eps,
            momentum=self.momentum,
            running_mean_after=to_list(self.momentum * self.mean),
            running_var_after=to_list((1 - self.momentum) + self.momentum * unbiased),
            optimizer_state=state_report(self.optimizer_state),
        )
        return record
