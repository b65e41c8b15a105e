"""The part of backprop every weighted layer shares: a = φ(z), δ = ∂E/∂z, the update."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from torch import Tensor, nn

from glassnet.engine.optimizer_state import optimizer_state
from glassnet.engine.optimizers import build_optimizer
from glassnet.engine.trace.activation import Activation, is_softmax
from glassnet.engine.trace.report import Limits, bounded, to_list
from shared_schemas.runspec import OptimizerSpec


class TracedLayer(ABC):
    """One node of the traced chain. Subclasses fill the forward and backward maths."""

    kind = ""

    def __init__(self, node_id: str, pointer: str) -> None:
        self.id = node_id
        self.pointer = pointer
        self.dE_da: Tensor | None = None
        self.delta: Tensor | None = None

    @abstractmethod
    def forward(self, x: Tensor) -> Tensor:
        """Record this layer's quantities for input x (one row per example); return a."""

    @abstractmethod
    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        """Given ∂E/∂a (and δ when the loss already knows it), return ∂E/∂(input)."""

    def update(self, learning_rate: float) -> None:  # noqa: B027 (pooling and flatten have none)
        """One plain gradient-descent step on this layer's parameters (none by default)."""

    def report(self, limits: Limits) -> dict[str, Any]:
        """The layer's trace record; every layer has the same keys, unused ones None."""
        return {
            "id": self.id,
            "kind": self.kind,
            "activation": None,
            "z": None,
            "a": None,
            "da_dz": None,
            "dE_da": to_list(self.dE_da),
            "delta": None,
            "weights": None,
            "bias": None,
            "grad_weights": None,
            "grad_bias": None,
            "grad_weights_per_example": None,
            "grad_bias_per_example": None,
            "weights_after": None,
            "bias_after": None,
        }


class WeightedLayer(TracedLayer):
    """z = W·x + b (dense or convolution), a = φ(z), δ = ∂a/∂z ⊙ ∂E/∂a, ∂E/∂W = Σ δ·xᵀ."""

    def __init__(
        self, node_id: str, pointer: str, W: Tensor, b: Tensor, activation: Activation
    ) -> None:
        super().__init__(node_id, pointer)
        self.W = W
        self.b = b
        self.activation = activation
        self.W_after: Tensor | None = None
        self.b_after: Tensor | None = None
        self.optimizer_state: dict[str, dict[str, Tensor]] | None = None
        # Book rounding: a, ∂a/∂z and δ rounded before reuse, as the hand-worked tables do.
        self.round_values: Callable[[Tensor], Tensor] = _unrounded

    @abstractmethod
    def weighted_sum(self, x: Tensor, W: Tensor, b: Tensor) -> Tensor:
        """z for input x with parameters W, b."""

    @abstractmethod
    def parameter_gradients(self, delta: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(∂E/∂W summed over examples, ∂E/∂b summed, ∂E/∂x per example) from δ."""

    def forward(self, x: Tensor) -> Tensor:
        self.x = x
        self.z = self.weighted_sum(x, self.W, self.b)
        self.a = self.round_values(self.activation.forward(self.z))
        self.da_dz = self.round_values(self.activation.derivative(self.z, self.a))
        return self.a

    def forward_with_updated(self, x: Tensor) -> Tensor:
        """a for input x after the update (for the loss after one step)."""
        assert self.W_after is not None and self.b_after is not None
        z = self.weighted_sum(x, self.W_after, self.b_after)
        return self.round_values(self.activation.forward(z))

    def backward(self, dE_da: Tensor, delta: Tensor | None = None) -> Tensor:
        self.dE_da = dE_da
        if delta is None:
            delta = self._delta_from(dE_da)
        self.delta = delta = self.round_values(delta)
        self.grad_W, self.grad_b, dE_dx = self.parameter_gradients(delta)
        return dE_dx

    def _delta_from(self, dE_da: Tensor) -> Tensor:
        if not is_softmax(self.activation):
            return self.da_dz * dE_da
        # Softmax couples the outputs: δ_k = Σ_j ∂a_j/∂z_k ∂E/∂a_j = a_k (g_k − Σ_j a_j g_j).
        a = self.a.reshape(self.a.shape[0], -1)
        g = dE_da.reshape(a.shape)
        return (a * (g - (a * g).sum(dim=1, keepdim=True))).reshape(self.a.shape)

    def update(self, learning_rate: float) -> None:
        self.W_after = self.W - learning_rate * self.grad_W
        self.b_after = self.b - learning_rate * self.grad_b

    def update_with(self, spec: OptimizerSpec) -> None:
        """One step of the training optimiser `spec` from fresh state, keeping that state (v, m, v̂…)."""
        W = nn.Parameter(self.W.detach().clone())
        b = nn.Parameter(self.b.detach().clone())
        W.grad, b.grad = self.grad_W.detach().clone(), self.grad_b.detach().clone()
        optimizer = build_optimizer(spec, [W, b])
        optimizer.step()
        self.W_after, self.b_after = W.detach(), b.detach()
        self.optimizer_state = {
            "weights": optimizer_state(spec, optimizer, W),
            "bias": optimizer_state(spec, optimizer, b),
        }

    @abstractmethod
    def per_example_gradients(self) -> tuple[Tensor, Tensor]:
        """∂E/∂W and ∂E/∂b for each example separately ([N, *W.shape], [N, out])."""

    def report(self, limits: Limits) -> dict[str, Any]:
        record = super().report(limits)
        n = self.x.shape[0]
        per_example_W = per_example_b = None
        if n * self.W.numel() <= limits.per_example_grads:
            per_example_W, per_example_b = self.per_example_gradients()
        record.update(
            activation=self.activation.name,
            z=to_list(self.z),
            a=to_list(self.a),
            da_dz=to_list(self.da_dz),
            delta=to_list(self.delta),
            weights=to_list(self.W),
            bias=to_list(self.b),
            grad_weights=to_list(self.grad_W),
            grad_bias=to_list(self.grad_b),
            grad_weights_per_example=bounded(per_example_W, limits.per_example_grads),
            grad_bias_per_example=to_list(per_example_b),
            weights_after=to_list(self.W_after),
            bias_after=to_list(self.b_after),
            optimizer_state=None
            if self.optimizer_state is None
            else {
                name: {k: to_list(v) for k, v in state.items()}
                for name, state in self.optimizer_state.items()
            },
        )
        return record


def _unrounded(t: Tensor) -> Tensor:
    return t


def flatten_rows(x: Tensor) -> Tensor:
    """One row per example: [N, ...] → [N, features]."""
    return x.reshape(x.shape[0], -1) if x.dim() != 2 else x
