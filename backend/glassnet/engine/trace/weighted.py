"""The part of backprop every weighted layer shares: a = φ(z), δ = ∂E/∂z, the update."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor, nn
from torch.optim import Optimizer

from glassnet.engine.optimizer_state import optimizer_state
from glassnet.engine.optimizers import build_optimizer
from glassnet.engine.trace.activation import Activation, is_softmax
from glassnet.engine.trace.errors import TraceError
from glassnet.engine.trace.report import Limits, bounded, to_list
from shared_schemas.runspec import OptimizerSpec


class TracedLayer(ABC):
    """One node of the traced chain. Subclasses fill the forward and backward maths."""

    kind = ""
    a: Tensor  # this node's output for the traced batch, recorded by `forward`

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

    @abstractmethod
    def forward_with_updated(self, x: Tensor) -> Tensor:
        """a for input x after the update (for the loss after one step), leaving what `forward`
        recorded as it was."""

    def forward_inputs(self, xs: list[Tensor]) -> Tensor:
        """`forward` of the node's inputs (one, except for merges)."""
        return self.forward(xs[0])

    def forward_with_updated_inputs(self, xs: list[Tensor]) -> Tensor:
        """`forward_with_updated` of the node's inputs (one, except for merges)."""
        return self.forward_with_updated(xs[0])

    def backward_inputs(self, dE_da: Tensor, delta: Tensor | None = None) -> list[Tensor]:
        """∂E/∂(each input), in the order of the inputs."""
        return [self.backward(dE_da, delta)]

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
        return delta_from(self.activation, self.a, self.da_dz, dE_da)

    def update(self, learning_rate: float) -> None:
        self.W_after = self.W - learning_rate * self.grad_W
        self.b_after = self.b - learning_rate * self.grad_b

    def update_with(self, spec: OptimizerSpec, start: StartState | None = None) -> None:
        """One step of the training optimiser `spec` from fresh state (or `start`), keeping its
        state after the step (v, m, v̂…)."""
        after, self.optimizer_state = optimizer_step(
            spec, {"weights": (self.W, self.grad_W), "bias": (self.b, self.grad_b)}, start
        )
        self.W_after, self.b_after = after["weights"], after["bias"]

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
            activation_report(self.activation, self.z, self.a, self.da_dz, self.delta),
            weights=to_list(self.W),
            bias=to_list(self.b),
            grad_weights=to_list(self.grad_W),
            grad_bias=to_list(self.grad_b),
            grad_weights_per_example=bounded(per_example_W, limits.per_example_grads),
            grad_bias_per_example=to_list(per_example_b),
            weights_after=to_list(self.W_after),
            bias_after=to_list(self.b_after),
            optimizer_state=state_report(self.optimizer_state),
        )
        return record


def activation_report(
    activation: Activation, z: Tensor, a: Tensor, da_dz: Tensor, delta: Tensor | None
) -> dict[str, Any]:
    """The trace record's fields of a = φ(z): the function's name, z, a, ∂a/∂z and δ."""
    return {
        "activation": activation.name,
        "z": to_list(z),
        "a": to_list(a),
        "da_dz": to_list(da_dz),
        "delta": to_list(delta),
    }


def state_report(
    state: dict[str, dict[str, Tensor]] | None,
) -> dict[str, dict[str, Any]] | None:
    """An optimiser's state after the step, by parameter and name, as plain lists."""
    if state is None:
        return None
    return {name: {k: to_list(v) for k, v in values.items()} for name, values in state.items()}


def _unrounded(t: Tensor) -> Tensor:
    return t


def delta_from(activation: Activation, a: Tensor, da_dz: Tensor, dE_da: Tensor) -> Tensor:
    """δ = ∂E/∂z from ∂E/∂a: elementwise ∂a/∂z ⊙ ∂E/∂a, or softmax's Jacobian."""
    if not is_softmax(activation):
        return da_dz * dE_da
    # Softmax couples the outputs: δ_k = Σ_j ∂a_j/∂z_k ∂E/∂a_j = a_k (g_k − Σ_j a_j g_j).
    rows = a.reshape(a.shape[0], -1)
    g = dE_da.reshape(rows.shape)
    return (rows * (g - (rows * g).sum(dim=1, keepdim=True))).reshape(a.shape)


# Where each optimiser keeps the state the trace reports by the lecture's names (optimizer_state).
_TORCH_STATE: dict[str, dict[str, str]] = {
    "momentum": {"velocity": "momentum_buffer"},
    "nesterov": {"velocity": "momentum_buffer"},
    "momentum_ema": {"velocity": "velocity"},
    "adagrad": {"sum_sq": "sum"},
    "rmsprop": {"mean_sq": "square_avg"},
    "adam": {"m": "exp_avg", "v": "exp_avg_sq"},
    "adamw": {"m": "exp_avg", "v": "exp_avg_sq"},
}
_COUNTS_STEPS = frozenset({"adagrad", "rmsprop", "adam", "adamw"})


@dataclass(frozen=True)
class StartState:
    """The state one layer's step starts from: parameter name → state by name, after t steps;
    `pointer` places problems in the request."""

    values: dict[str, dict[str, Any]]
    t: int
    pointer: str


def _load_state(
    spec: OptimizerSpec, optimizer: Optimizer, params: dict[str, nn.Parameter], start: StartState
) -> None:
    names = _TORCH_STATE.get(spec.kind)
    if names is None:
        raise TraceError(
            f"{spec.kind} starts from zero state in a trace; continuing its state is not "
            "supported (leave optimizer_state out)",
            start.pointer,
        )
    for param_name, given in start.values.items():
        p = params.get(param_name)
        where = f"{start.pointer}/{param_name}"
        if p is None:
            raise TraceError(f"no parameter {param_name!r}; use {', '.join(params)}", where)
        state: dict[str, Any] = {}
        for ours, theirs in names.items():
            if ours not in given:
                raise TraceError(f"{spec.kind} needs {ours!r} to continue its state", where)
            value = torch.as_tensor(given[ours], dtype=p.dtype)
            if value.shape != p.shape:
                raise TraceError(
                    f"{ours} has shape {list(value.shape)}; the parameter has {list(p.shape)}",
                    f"{where}/{ours}",
                )
            state[theirs] = value.clone()
        if spec.kind in _COUNTS_STEPS:
            state["step"] = torch.tensor(float(start.t))
        optimizer.state[p] = state


def optimizer_step(
    spec: OptimizerSpec,
    tensors: dict[str, tuple[Tensor, Tensor]],
    start: StartState | None = None,
) -> tuple[dict[str, Tensor], dict[str, dict[str, Tensor]]]:
    """One step of the training optimiser `spec` on named (value, gradient) pairs, from fresh
    state or from `start`: the values after the step and the optimiser's state for each."""
    params = {}
    for name, (value, grad) in tensors.items():
        p = nn.Parameter(value.detach().clone())
        p.grad = grad.detach().clone()
        params[name] = p
    optimizer = build_optimizer(spec, list(params.values()))
    if start is not None and start.values:
        _load_state(spec, optimizer, params, start)
    elif start is not None and start.t and spec.kind in _COUNTS_STEPS:
        raise TraceError(
            f"optimizer_t = {start.t} needs the state those steps left (optimizer_state)",
            "/optimizer_t",
        )
    optimizer.step()
    after = {name: p.detach() for name, p in params.items()}
    state = {name: optimizer_state(spec, optimizer, p) for name, p in params.items()}
    return after, state


def flatten_rows(x: Tensor) -> Tensor:
    """One row per example: [N, ...] → [N, features]."""
    return x.reshape(x.shape[0], -1) if x.dim() != 2 else x
