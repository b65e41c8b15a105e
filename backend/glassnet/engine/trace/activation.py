"""Activations for the trace, from the engine's registry: a = φ(z) and the elementwise ∂a/∂z."""

from __future__ import annotations

from typing import Any, Protocol

import torch
from pydantic import ValidationError
from torch import Tensor

from glassnet.engine.activations import get_activation
from glassnet.engine.trace.errors import TraceError
from shared_schemas.runspec import ActivationSpec


class Activation(Protocol):
    """What the trace needs from an activation."""

    @property
    def name(self) -> str: ...

    def forward(self, z: Tensor) -> Tensor: ...

    def derivative(self, z: Tensor, a: Tensor) -> Tensor: ...


def resolve_activation(spec: Any, pointer: str) -> Activation:
    """The activation named by a node's `activation` (a name or a `{"kind": ...}` object)."""
    try:
        parsed = ActivationSpec.model_validate(
            {"kind": spec or "linear"} if isinstance(spec, str | None) else spec
        )
    except ValidationError as exc:
        raise TraceError(f"unknown activation {spec!r}", pointer) from exc
    if parsed.kind == "prelu":
        raise TraceError(
            "the textbook trace does not learn PReLU slopes; use leaky_relu with a fixed slope",
            pointer,
        )
    return get_activation(parsed)


def is_softmax(activation: Activation) -> bool:
    """Whether φ couples the outputs of a layer (softmax), so ∂a/∂z is a Jacobian, not a vector."""
    return activation.name == "softmax"


class PerceptronUnit:
    """A step or sign unit as the perceptron rule updates it: φ as given, ∂a/∂z taken as 1.

    With ½Σ(t − o)² summed, δ = o − t and w ← w − η·δ·x is Rosenblatt's w ← w + η(t − o)x.
    """

    def __init__(self, threshold_unit: Activation) -> None:
        self.unit = threshold_unit

    @property
    def name(self) -> str:
        return self.unit.name

    def forward(self, z: Tensor) -> Tensor:
        return self.unit.forward(z)

    def derivative(self, z: Tensor, a: Tensor) -> Tensor:
        return torch.ones_like(z)
