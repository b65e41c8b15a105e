"""The textbook trace of a recurrent network: BPTT written out step by step, every number kept.

Each rnn, lstm or gru layer is a `glassnet.engine.bptt.RecurrentBPTT` (the lecture's rules, written
out); dense layers after it apply to every step. Weight gradients are summed over steps and
examples (shared weights: compute at every use, sum, update once); the report lists the per-step
values DESIGN.md names, and the weights after one plain gradient-descent step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn, get_activation
from glassnet.engine.bptt import RecurrentBPTT
from glassnet.engine.model import GraphModel, Layer
from glassnet.engine.recurrent import RecurrentLayer
from glassnet.engine.trace.chain import ChainNode
from glassnet.engine.trace.errors import TraceError
from glassnet.engine.trace.loss import evaluate
from glassnet.engine.trace.report import to_list
from shared_schemas.runspec import NetworkSpec, activation_spec


@dataclass
class _Dense:
    """A dense layer applied to a vector [N, in] or to every step of a sequence [N, T, in]."""

    id: str
    W: Tensor
    b: Tensor
    fn: ActivationFn
    x: Tensor | None = None
    z: Tensor | None = None
    a: Tensor | None = None
    delta: Tensor | None = None
    gW: Tensor | None = None
    gb: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self.x = x
        self.z = x @ self.W.T + self.b
        self.a = self.fn.forward(self.z, None)
        return self.a

    def backward(self, dE_da: Tensor, delta: Tensor | None) -> Tensor:
        assert self.x is not None and self.z is not None and self.a is not None
        self.delta = delta if delta is not None else dE_da * self.fn.derivative(self.z, self.a)
        flat_d = self.delta.reshape(-1, self.delta.shape[-1])
        flat_x = self.x.reshape(-1, self.x.shape[-1])
        self.gW = flat_d.T @ flat_x
        self.gb = flat_d.sum(dim=0)
        return self.delta @ self.W

    def step(self, lr: float) -> None:
        """W ← W − α ∂E/∂W, b ← b − α ∂E/∂b (after the report is taken)."""
        self.W = self.W - lr * self.gW  # type: ignore[operator]
        self.b = self.b - lr * self.gb  # type: ignore[operator]

    def report(self, lr: float) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "dense",
            "activation": self.fn.name,
            "z": to_list(self.z),
            "a": to_list(self.a),
            "delta": to_list(self.delta),
            "weights": to_list(self.W),
            "bias": to_list(self.b),
            "grad_weights": to_list(self.gW),
            "grad_bias": to_list(self.gb),
            "weights_after": to_list(self.W - lr * self.gW),  # type: ignore[operator]
            "bias_after": to_list(self.b - lr * self.gb),  # type: ignore[operator]
        }


def _weights_out(layer: RecurrentBPTT, values: dict[str, Tensor]) -> dict[str, Any]:
    if layer.kind == "rnn":
        w = values["hidden"]
        return {"hh": to_list(w[:, : layer.units]), "hx": to_list(w[:, layer.units :])}
    return {g: to_list(values[g]) for g in layer.gates}


def _bias_out(layer: RecurrentBPTT, values: dict[str, Tensor], extra: Tensor | None) -> Any:
    if layer.kind == "rnn":
        return to_list(values["hidden"])
    out = {g: to_list(values[g]) for g in layer.gates}
    if extra is not None:
        out["candidate_recurrent"] = to_list(extra)
    return out


def report_recurrent(layer: RecurrentBPTT, lr: float) -> dict[str, Any]:
    """The trace's entry for one recurrent layer (DESIGN.md "Recurrent layers")."""
    z, a, dz = layer.cache["z"], layer.cache["a"], layer.deltas["z"]
    grad_w = {g: layer.grads[g] for g in layer.gates}
    grad_b = {g: layer.grads[f"bias:{g}"] for g in layer.gates}
    g_bnh = layer.grads.get("bias:candidate_recurrent")
    out: dict[str, Any] = {
        "id": layer.id,
        "kind": layer.kind,
        "activation": layer.fn.name if layer.kind == "rnn" else None,
        "weights": _weights_out(layer, layer.W),
        "bias": _bias_out(layer, layer.b, layer.b_nh),
        "grad_weights": _weights_out(layer, grad_w),
        "grad_bias": _bias_out(layer, grad_b, g_bnh),
        "weights_after": _weights_out(layer, {g: layer.W[g] - lr * grad_w[g] for g in layer.gates}),
        "bias_after": _bias_out(
            layer,
            {g: layer.b[g] - lr * grad_b[g] for g in layer.gates},
            None if layer.b_nh is None else layer.b_nh - lr * g_bnh,  # type: ignore[operator]
        ),
        "initial_state": {
            "h": to_list(layer.h0),
            **({"c": to_list(layer.c0)} if layer.c0 is not None else {}),
        },
    }
    if layer.kind == "rnn":
        per = layer.per_step["W"]
        out.update(
            z=to_list(z[:, :, 0]),
            a=to_list(a[:, :, 0]),
            h=to_list(a[:, :, 0]),
            delta=to_list(dz[:, :, 0]),
            grad_weights_per_step={
                "hh": to_list(per[:, :, : layer.units]),
                "hx": to_list(per[:, :, layer.units :]),
            },
        )
        return out
    out["gates"] = {g: to_list(a[:, :, k]) for k, g in enumerate(layer.gates)}
    out["gate_z"] = {g: to_list(z[:, :, k]) for k, g in enumerate(layer.gates)}
    out["h"] = to_list(layer.cache["h"])
    delta = {g: to_list(dz[:, :, k]) for k, g in enumerate(layer.gates)}
    delta["h"] = to_list(layer.deltas["h"])
    if layer.kind == "lstm":
        out["c"] = to_list(layer.cache["c"])
        delta["c"] = to_list(layer.deltas["c"])
    out["delta"] = delta
    return out


def _state(
    initial: dict[str, Any], layer_id: str, key: str, units: int, dtype: torch.dtype, pointer: str
) -> Tensor | None:
    given = (initial.get(layer_id) or {}).get(key)
    if given is None:
        return None
    value = torch.tensor(given, dtype=dtype)
    if value.shape != (units,):
        raise TraceError(
            f"initial_state.{layer_id}.{key} must have {units} values (one per unit), got "
            f"{list(value.shape)}",
            pointer,
        )
    return value


def build_recurrent_chain(
    chain: list[ChainNode],
    network: NetworkSpec,
    seed: int,
    build_dtype: torch.dtype,
    dtype: torch.dtype,
    truncate: int | None,
    initial_state: dict[str, Any] | None,
) -> list[_Dense | RecurrentBPTT]:
    """The traced layers of a chain of input, rnn/lstm/gru and dense nodes, with the Trainer's
    first parameters for the same seed."""
    model = GraphModel(network, torch.Generator().manual_seed(seed), build_dtype)
    initial = {
        k: (v.model_dump() if hasattr(v, "model_dump") else v)
        for k, v in (initial_state or {}).items()
    }
    known = {node.id for node in chain}
    for layer_id in initial:
        if (
            layer_id not in known
            or model.block(layer_id) is None
            or not isinstance(model.block(layer_id), RecurrentLayer)
        ):
            raise TraceError(
                f"initial_state names {layer_id!r}, which is not an rnn, lstm or gru layer",
                f"/initial_state/{layer_id}",
            )
    layers: list[_Dense | RecurrentBPTT] = []
    for node in chain[1:]:
        block = model.block(node.id)
        if node.kind == "dense":
            act = activation_spec(node.spec.get("activation", "linear"))
            if act.kind == "prelu":
                raise TraceError(
                    "a recurrent trace does not take prelu (its slope is learned); use "
                    "leaky_relu with a fixed slope",
                    f"{node.pointer}/activation",
                )
            assert isinstance(block, Layer)
            layers.append(
                _Dense(
                    node.id,
                    block.weight.detach().to(dtype).clone(),
                    block.bias.detach().to(dtype).clone(),
                    get_activation(act),
                )
            )
            continue
        if node.kind not in ("rnn", "lstm", "gru"):
            raise TraceError(
                f"a recurrent trace handles input, rnn, lstm, gru and dense nodes; {node.id!r} "
                f"is a {node.kind!r}",
                node.pointer,
            )
        assert isinstance(block, RecurrentLayer)
        H = block.units
        pointer = f"/initial_state/{node.id}"
        h0 = _state(initial, node.id, "h", H, dtype, pointer + "/h")
        c0 = _state(initial, node.id, "c", H, dtype, pointer + "/c")
        if c0 is not None and node.kind != "lstm":
            raise TraceError(f"{node.kind} {node.id!r} has no cell state c", pointer + "/c")
        layers.append(
            RecurrentBPTT(
                id=node.id,
                kind=node.kind,
                units=H,
                return_sequences=block.return_sequences,
                W={g: block.weight(g).detach().to(dtype).clone() for g in block.gates},
                b={g: block.bias(g).detach().to(dtype).clone() for g in block.gates},
                fn=block.fn,
                truncate=truncate,
                h0=h0 if h0 is not None else torch.zeros(H, dtype=dtype),
                c0=(c0 if c0 is not None else torch.zeros(H, dtype=dtype))
                if node.kind == "lstm"
                else None,
                b_nh=block.bias_candidate_recurrent.detach().to(dtype).clone()
                if node.kind == "gru"
                else None,
            )
        )
    return layers


def run_recurrent(
    layers: list[_Dense | RecurrentBPTT],
    x: Tensor,
    t: Tensor,
    loss: str,
    reduction: str,
    learning_rate: float,
) -> dict[str, Any]:
    """Forward, BPTT and one plain gradient-descent step; the TraceResponse's core fields."""
    a = x
    for layer in layers:
        a = layer.forward(a)
    last = layers[-1]
    out_act = last.fn.name if isinstance(last, _Dense) else "tanh"
    shape = a.shape
    # a sequence output is scored step by step: every (example, step) is one row of the loss
    flat_a = a.reshape(-1, shape[-1])
    flat_t = t.reshape(-1, shape[-1]) if t.numel() == a.numel() else t
    if a.dim() == 3 and t.numel() != a.numel():
        returning = [
            layer.id
            for layer in layers
            if isinstance(layer, RecurrentBPTT) and layer.return_sequences
        ]
        raise TraceError(
            f"the network answers every step, {list(shape[1:])} per example, but the targets "
            f"give {list(t.shape[1:])}: give one target per step, or set return_sequences: false "
            f"on {', '.join(repr(i) for i in returning) or 'the last recurrent layer'} to answer "
            "at the last step only",
            "/targets",
        )
    result = evaluate(loss, reduction, flat_a, flat_t, out_act)
    dE_da = result.dE_da.reshape(shape)
    delta = None if result.delta is None else result.delta.reshape(shape)
    for layer in reversed(layers):
        dE_da = layer.backward(dE_da, delta) if isinstance(layer, _Dense) else layer.backward(dE_da)
        delta = None
    per_example = result.per_example.reshape(shape[0], -1).sum(dim=1)
    return {
        "loss": float(result.value),
        "per_example_loss": to_list(per_example),
        "outputs": to_list(result.outputs.reshape(shape)),
        "layers": [
            layer.report(learning_rate)
            if isinstance(layer, _Dense)
            else report_recurrent(layer, learning_rate)
            for layer in layers
        ],
    }
