"""An activation node: a = φ(z) on its own, z being whatever feeds it (batch norm, an add...)."""

from __future__ import annotations

from typing import Any

from torch import Tensor

from glassnet.engine.trace.activation import Activation
from glassnet.engine.trace.report import Limits
from glassnet.engine.trace.weighted import TracedLayer, activation_report, delta_from


class ActivationLayer(TracedLayer):
    """z = the input, a = φ(z), ∂a/∂z elementwise, δ = ∂E/∂z = ∂a/∂z ⊙ ∂E/∂a (softmax: its
    Jacobian). δ is what this node passes back to the node feeding it."""

    kind = "activation"

    def __init__(self, node_id: str, pointer: str, activation: Activation) -> None:
        super().__init__(node_id, pointer)
        self.activation = activation

    def forward(self, x: Tensor) -> Tensor:
        self.z = x
        self.a = self.activation.forward(x)
        self.da_dz = self.activation.derivative(x, self.a)
        return self.a

    def forward_with_updated(self, x: Tensor) -> Tensor:
        return self.activation.forward(x)

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        self.dE_da = dE_da
        self.delta = (
            delta if delta is not None else delta_from(self.activation, self.a, self.da_dz, dE_da)
        )
        return self.delta

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        record.update(activation_report(self.activation, self.z, self.a, self.da_dz, self.delta))
        return record
