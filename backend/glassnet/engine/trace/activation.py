"""Activation functions for the trace: a = φ(z) and the elementwise ∂a/∂z.

The engine's registry (`glassnet.engine.activations.get_activation`) is the source of truth; the small
table below only covers the names the trace needs when that registry is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import torch
from torch import Tensor

from glassnet.engine.trace.errors import TraceError


class Activation(Protocol):
    """What the trace needs from an activation."""

    name: str

    def forward(self, z: Tensor) -> Tensor: ...

    def derivative(self, z: Tensor, a: Tensor) -> Tensor: ...


@dataclass(frozen=True)
class _Elementwise:
    name: str
    fn: Callable[[Tensor], Tensor]
    der: Callable[[Tensor, Tensor], Tensor]

    def forward(self, z: Tensor) -> Tensor:
        return self.fn(z)

    def derivative(self, z: Tensor, a: Tensor) -> Tensor:
        return self.der(z, a)


def _softmax(z: Tensor) -> Tensor:
    return torch.softmax(z.reshape(z.shape[0], -1), dim=1).reshape(z.shape)


def _fallback(kind: str, params: dict[str, Any]) -> Activation | None:
    one = torch.ones_like
    slope = float(params.get("slope", 0.01))
    alpha = float(params.get("alpha", 1.0))
    theta = float(params.get("threshold", 0.0))
    table: dict[str, _Elementwise] = {
        "linear": _Elementwise("linear", lambda z: z, lambda z, a: one(z)),
        "sigmoid": _Elementwise("sigmoid", torch.sigmoid, lambda z, a: a * (1 - a)),
        "tanh": _Elementwise("tanh", torch.tanh, lambda z, a: 1 - a * a),
        # ReLU'(0) = 0, the book's convention and torch's.
        "relu": _Elementwise("relu", torch.relu, lambda z, a: (z > 0).to(z.dtype)),
        "leaky_relu": _Elementwise(
            "leaky_relu",
            lambda z: torch.where(z > 0, z, slope * z),
            lambda z, a: torch.where(z > 0, one(z), slope * one(z)),
        ),
        "elu": _Elementwise(
            "elu",
            lambda z: torch.where(z > 0, z, alpha * torch.expm1(z)),
            lambda z, a: torch.where(z > 0, one(z), a + alpha),
        ),
        "softplus": _Elementwise(
            "softplus", torch.nn.functional.softplus, lambda z, a: torch.sigmoid(z)
        ),
        # McCulloch–Pitts threshold: a = 1 if z ≥ θ; its derivative is 0 almost everywhere.
        "step": _Elementwise(
            "step", lambda z: (z >= theta).to(z.dtype), lambda z, a: torch.zeros_like(z)
        ),
        # Diagonal of the softmax Jacobian; the trace applies the full Jacobian with the loss.
        "softmax": _Elementwise("softmax", _softmax, lambda z, a: a * (1 - a)),
    }
    aliases = {"logistic": "sigmoid", "identity": "linear", "none": "linear", "threshold": "step"}
    return table.get(aliases.get(kind, kind))


def resolve_activation(spec: Any, pointer: str) -> Activation:
    """The activation named by a node's `activation` (a name or a `{"kind": ...}` object)."""
    if spec is None:
        spec = "linear"
    if hasattr(spec, "model_dump"):
        spec = spec.model_dump()
    kind, params = (spec, {}) if isinstance(spec, str) else (spec.get("kind", ""), dict(spec))
    try:
        from glassnet.engine.activations import get_activation
    except ImportError:
        get_activation = None
    if get_activation is not None:
        try:
            return get_activation(spec)
        except (KeyError, ValueError) as exc:
            raise TraceError(f"unknown activation {kind!r}: {exc}", pointer) from exc
    found = _fallback(str(kind), params)
    if found is None:
        raise TraceError(f"unknown activation {kind!r}", pointer)
    return found


def is_softmax(activation: Activation) -> bool:
    """Whether φ couples the outputs of a layer (softmax), so ∂a/∂z is a Jacobian, not a vector."""
    return activation.name == "softmax"
