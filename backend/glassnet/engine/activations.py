"""Activation functions φ, their derivatives ∂a/∂z, and what "saturated" or "dead" means for each.

Each activation is written once as torch code on tensors; the explicit (lean) training path and the
textbook trace use `forward` and `derivative` directly, the autograd path wraps them in a module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from shared_schemas.runspec import Activation, ActivationSpec, activation_spec

_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class ActivationFn:
    """φ and φ′ for one activation spec. `derivative(z, a)` may use either z or a = φ(z)."""

    spec: ActivationSpec

    @property
    def name(self) -> str:
        return self.spec.kind

    @property
    def has_gradient(self) -> bool:
        """Step and sign are flat almost everywhere: backprop through them teaches nothing."""
        return self.spec.kind not in ("step", "sign")

    @property
    def learned(self) -> bool:
        return self.spec.kind == "prelu"

    def forward(self, z: Tensor, slope: Tensor | float | None = None) -> Tensor:
        """a = φ(z). `slope` is PReLU's learned parameter."""
        kind, s = self.spec.kind, self.spec
        if kind == "linear":
            return z
        if kind == "step":
            return (z >= s.threshold).to(z.dtype)
        if kind == "sign":
            return torch.where(z >= s.threshold, 1.0, -1.0).to(z.dtype)
        if kind == "sigmoid":
            return torch.sigmoid(z)
        if kind == "tanh":
            return torch.tanh(z)
        if kind == "relu":
            return torch.relu(z)
        if kind == "leaky_relu":
            return torch.where(z > 0, z, z * s.slope)
        if kind == "prelu":
            return torch.where(z > 0, z, z * (s.init if slope is None else slope))
        if kind == "elu":
            return torch.where(z > 0, z, s.alpha * torch.expm1(z))
        if kind == "softplus":
            return torch.nn.functional.softplus(z)
        if kind == "gelu":
            return torch.nn.functional.gelu(z)
        if kind == "silu":
            return torch.nn.functional.silu(z)
        if kind == "softmax":
            return torch.softmax(z, dim=-1)
        raise ValueError(f"unknown activation {kind!r}")

    def derivative(self, z: Tensor, a: Tensor, slope: Tensor | float | None = None) -> Tensor:
        """∂a/∂z elementwise (softmax: the diagonal; its full Jacobian is folded into the loss)."""
        kind, s = self.spec.kind, self.spec
        if kind == "linear":
            return torch.ones_like(z)
        if kind in ("step", "sign"):
            return torch.zeros_like(z)
        if kind in ("sigmoid", "softmax"):
            return a * (1 - a)
        if kind == "tanh":
            return 1 - a * a
        if kind == "relu":
            return (z > 0).to(z.dtype)  # ReLU′(0) = 0, as torch and the book define it
        if kind == "leaky_relu":
            # In z's dtype from the start: torch.where of two Python floats is float32, and
            # float32(0.01) is 0.0099999998 (a 2e-8 error in every float64 trace).
            return torch.where(z > 0, torch.ones_like(z), torch.full_like(z, s.slope))
        if kind == "prelu":
            neg = s.init if slope is None else slope
            return torch.where(z > 0, torch.ones_like(z), neg * torch.ones_like(z))
        if kind == "elu":
            return torch.where(z > 0, torch.ones_like(z), a + s.alpha)
        if kind == "softplus":
            return torch.sigmoid(z)
        if kind == "gelu":
            cdf = 0.5 * (1 + torch.erf(z / _SQRT_2))
            return cdf + z * torch.exp(-0.5 * z * z) / _SQRT_2PI
        if kind == "silu":
            sig = torch.sigmoid(z)
            return sig * (1 + z * (1 - sig))
        raise ValueError(f"unknown activation {kind!r}")

    def saturated(self, z: Tensor, a: Tensor) -> Tensor | None:
        """Boolean mask of saturated units (φ′ below 2 % of its peak), or None if it cannot saturate."""
        kind = self.spec.kind
        if kind in ("sigmoid", "softmax"):
            return a * (1 - a) < 0.02 * 0.25
        if kind == "tanh":
            return 1 - a * a < 0.02
        return None

    @property
    def can_die(self) -> bool:
        """ReLU-like units output 0 (with 0 gradient) for all z ≤ 0: they can die."""
        return self.spec.kind == "relu"

    def saturation_zone(self) -> list[float] | None:
        """|z| beyond which the unit is saturated (for shading the z histogram), if any."""
        kind = self.spec.kind
        if kind in ("sigmoid", "softmax"):
            # σ(z)(1−σ(z)) = 0.005  ⇔  σ = (1 + √(1 − 0.02)) / 2
            s = (1 + math.sqrt(1 - 0.02)) / 2
            return [math.log(s / (1 - s))]
        if kind == "tanh":
            return [math.atanh(math.sqrt(1 - 0.02))]
        return None


def get_activation(activation: Activation | ActivationSpec) -> ActivationFn:
    """The φ/φ′ pair for an activation given by name or spec."""
    return ActivationFn(activation_spec(activation))


class ActivationModule(nn.Module):
    """φ as a module for the autograd path; PReLU owns its learned slope."""

    def __init__(self, fn: ActivationFn, dtype: torch.dtype) -> None:
        super().__init__()
        self.fn = fn
        self.slope = nn.Parameter(torch.tensor([fn.spec.init], dtype=dtype)) if fn.learned else None

    def forward(self, z: Tensor) -> Tensor:
        return self.fn.forward(z, self.slope)
