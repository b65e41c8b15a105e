"""The textbook trace of a recurrent network: BPTT written out step by step, every number kept.

Forward and backward follow the lecture: the rnn's δ_t = (∂E/∂h_t) ⊙ φ′(z_t) with ∂E/∂h_t summing
the loss at step t and δ_{t+1} sent back through W_hh; the lstm's fork, product and sum rules
(eqs. 124–146); the gru by the same rules on torch's equations. Weight gradients are summed over
steps and examples (shared weights: compute at every use, sum, update once). Truncated BPTT cuts
what flows back through h and c every k steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn, get_activation
from glassnet.engine.model import GraphModel
from glassnet.engine.recurrent import RecurrentLayer
from glassnet.engine.trace.chain import ChainNode
from glassnet.engine.trace.errors import TraceError
from glassnet.engine.trace.loss import evaluate
from glassnet.engine.trace.report import to_list
from shared_schemas.recurrent import gate_names
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


@dataclass
class _Recurrent:
    """One rnn, lstm or gru layer: W per gate [units][units + F], explicit forward and BPTT."""

    id: str
    kind: str
    units: int
    return_sequences: bool
    W: dict[str, Tensor]
    b: dict[str, Tensor]
    fn: ActivationFn
    truncate: int | None
    h0: Tensor
    c0: Tensor | None
    b_nh: Tensor | None = None  # gru: b_n^h
    cache: dict[str, Tensor] = field(default_factory=dict)
    grads: dict[str, Tensor] = field(default_factory=dict)
    deltas: dict[str, Tensor] = field(default_factory=dict)
    per_step: dict[str, Tensor] = field(default_factory=dict)

    @property
    def gates(self) -> tuple[str, ...]:
        return gate_names(self.kind)

    def forward(self, x: Tensor) -> Tensor:
        N, T, _ = x.shape
        H = self.units
        h = self.h0.expand(N, H)
        c = self.c0.expand(N, H) if self.c0 is not None else None
        hs, cs, zs, acts, hprev = [], [], [], [], []
        for t in range(T):
            hx = torch.cat([h, x[:, t]], dim=1)
            hprev.append(h)
            if self.kind == "rnn":
                z = hx @ self.W["hidden"].T + self.b["hidden"]
                h = self.fn.forward(z, None)
                zs.append(z[:, None])
                acts.append(h[:, None])
            elif self.kind == "lstm":
                z = torch.stack([hx @ self.W[g].T + self.b[g] for g in self.gates], dim=1)
                f, i, o = torch.sigmoid(z[:, 0]), torch.sigmoid(z[:, 1]), torch.sigmoid(z[:, 3])
                g_ = torch.tanh(z[:, 2])
                c = f * c + i * g_  # type: ignore[operator]
                h = o * torch.tanh(c)
                zs.append(z)
                acts.append(torch.stack([f, i, g_, o], dim=1))
                cs.append(c)
            else:
                Wn = self.W["candidate"]
                zr = hx @ self.W["reset"].T + self.b["reset"]
                zu = hx @ self.W["update"].T + self.b["update"]
                r, u = torch.sigmoid(zr), torch.sigmoid(zu)
                q = h @ Wn[:, :H].T + self.b_nh  # W_n^h h + b_n^h
                zn = x[:, t] @ Wn[:, H:].T + self.b["candidate"] + r * q
                n = torch.tanh(zn)
                h = (1 - u) * n + u * h
                zs.append(torch.stack([zr, zu, zn], dim=1))
                acts.append(torch.stack([r, u, n], dim=1))
                cs.append(q)  # kept for the backward pass
            hs.append(h)
        self.cache = {
            "x": x,
            "h": torch.stack(hs, 1),
            "h_prev": torch.stack(hprev, 1),
            "z": torch.stack(zs, 1),  # [N, T, gates, H]
            "a": torch.stack(acts, 1),
        }
        if cs:
            self.cache["c" if self.kind == "lstm" else "q"] = torch.stack(cs, 1)
        out = self.cache["h"]
        return out if self.return_sequences else out[:, -1]

    def backward(self, dE_dout: Tensor) -> Tensor:
        """∂E/∂x for the layer below, from ∂E/∂(this layer's output)."""
        x, hs, hp = self.cache["x"], self.cache["h"], self.cache["h_prev"]
        z, a = self.cache["z"], self.cache["a"]
        N, T, F = x.shape
        H = self.units
        dE_dh_out = dE_dout if self.return_sequences else torch.zeros_like(hs)
        if not self.return_sequences:
            dE_dh_out[:, -1] = dE_dout
        grads = {g: torch.zeros_like(self.W[g]) for g in self.gates}
        gbias = {g: torch.zeros_like(self.b[g]) for g in self.gates}
        g_bnh = torch.zeros(H, dtype=x.dtype) if self.kind == "gru" else None
        dx = torch.zeros_like(x)
        dh_all = torch.zeros_like(hs)
        dc_all = torch.zeros_like(hs)
        dz_all = torch.zeros_like(z)
        per_step_W = torch.zeros(T, *self.W[self.gates[0]].shape, dtype=x.dtype)
        dh_next = torch.zeros(N, H, dtype=x.dtype)
        dc_next = torch.zeros(N, H, dtype=x.dtype)
        c0 = self.c0.expand(N, H) if self.c0 is not None else None
        for t in reversed(range(T)):
            dh = dE_dh_out[:, t] + dh_next  # a fork sums its branches (eq. 124)
            dh_all[:, t] = dh
            hx = torch.cat([hp[:, t], x[:, t]], dim=1)
            if self.kind == "rnn":
                delta = dh * self.fn.derivative(z[:, t, 0], a[:, t, 0])
                dz_all[:, t, 0] = delta
                step_grad = delta.T @ hx
                grads["hidden"] += step_grad
                gbias["hidden"] += delta.sum(0)
                per_step_W[t] = step_grad
                dhx = delta @ self.W["hidden"]
            elif self.kind == "lstm":
                f, i, g_, o = a[:, t, 0], a[:, t, 1], a[:, t, 2], a[:, t, 3]
                c = self.cache["c"][:, t]
                c_prev = self.cache["c"][:, t - 1] if t > 0 else c0
                back = lstm_step_backward(dh, dc_next, f, i, g_, o, c, c_prev)  # type: ignore[arg-type]
                dc = back["dE_dc"]
                dc_all[:, t] = dc
                deltas = [back["delta_f"], back["delta_i"], back["delta_c"], back["delta_o"]]
                dhx = torch.zeros(N, H + F, dtype=x.dtype)
                for k, gate in enumerate(self.gates):
                    dz_all[:, t, k] = deltas[k]
                    grads[gate] += deltas[k].T @ hx  # eq. 137, summed over steps
                    gbias[gate] += deltas[k].sum(0)
                    dhx = dhx + deltas[k] @ self.W[gate]  # eq. 145
                dc_next = dc * f
            else:
                r, u, n = a[:, t, 0], a[:, t, 1], a[:, t, 2]
                q = self.cache["q"][:, t]
                h_prev = hp[:, t]
                d_n = dh * (1 - u) * (1 - n**2)
                d_u = dh * (h_prev - n) * u * (1 - u)
                d_r = d_n * q * r * (1 - r)
                d_q = d_n * r
                Wn = self.W["candidate"]
                dz_all[:, t, 0], dz_all[:, t, 1], dz_all[:, t, 2] = d_r, d_u, d_n
                grads["reset"] += d_r.T @ hx
                grads["update"] += d_u.T @ hx
                grads["candidate"] += torch.cat([d_q.T @ h_prev, d_n.T @ x[:, t]], dim=1)
                gbias["reset"] += d_r.sum(0)
                gbias["update"] += d_u.sum(0)
                gbias["candidate"] += d_n.sum(0)
                g_bnh += d_q.sum(0)  # type: ignore[operator]
                dhx = d_r @ self.W["reset"] + d_u @ self.W["update"]
                dhx = dhx + torch.cat([d_q @ Wn[:, :H], d_n @ Wn[:, H:]], dim=1)
                dhx[:, :H] = dhx[:, :H] + dh * u
            dx[:, t] = dhx[:, H:]
            dh_next = dhx[:, :H]
            if self.truncate is not None and t % self.truncate == 0:
                # truncated BPTT: the state carried into this step gets no gradient
                dh_next = torch.zeros_like(dh_next)
                dc_next = torch.zeros_like(dc_next)
        self.grads = {**grads, **{f"bias:{g}": v for g, v in gbias.items()}}
        if g_bnh is not None:
            self.grads["bias:candidate_recurrent"] = g_bnh
        self.deltas = {"z": dz_all, "h": dh_all, "c": dc_all}
        self.per_step = {"W": per_step_W}
        return dx

    def step(self, lr: float) -> None:
        """Every gate's W and b take one plain gradient-descent step (after the report)."""
        self.W = {g: self.W[g] - lr * self.grads[g] for g in self.gates}
        self.b = {g: self.b[g] - lr * self.grads[f"bias:{g}"] for g in self.gates}
        if self.b_nh is not None:
            self.b_nh = self.b_nh - lr * self.grads["bias:candidate_recurrent"]

    def _weights_out(self, values: dict[str, Tensor]) -> dict[str, Any]:
        if self.kind == "rnn":
            w = values["hidden"]
            return {"hh": to_list(w[:, : self.units]), "hx": to_list(w[:, self.units :])}
        return {g: to_list(values[g]) for g in self.gates}

    def _bias_out(self, values: dict[str, Tensor], extra: Tensor | None) -> Any:
        if self.kind == "rnn":
            return to_list(values["hidden"])
        out = {g: to_list(values[g]) for g in self.gates}
        if extra is not None:
            out["candidate_recurrent"] = to_list(extra)
        return out

    def report(self, lr: float) -> dict[str, Any]:
        z, a, dz = self.cache["z"], self.cache["a"], self.deltas["z"]
        grad_w = {g: self.grads[g] for g in self.gates}
        grad_b = {g: self.grads[f"bias:{g}"] for g in self.gates}
        g_bnh = self.grads.get("bias:candidate_recurrent")
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "activation": self.fn.name if self.kind == "rnn" else None,
            "weights": self._weights_out(self.W),
            "bias": self._bias_out(self.b, self.b_nh),
            "grad_weights": self._weights_out(grad_w),
            "grad_bias": self._bias_out(grad_b, g_bnh),
            "weights_after": self._weights_out({g: self.W[g] - lr * grad_w[g] for g in self.gates}),
            "bias_after": self._bias_out(
                {g: self.b[g] - lr * grad_b[g] for g in self.gates},
                None if self.b_nh is None else self.b_nh - lr * g_bnh,  # type: ignore[operator]
            ),
            "initial_state": {
                "h": to_list(self.h0),
                **({"c": to_list(self.c0)} if self.c0 is not None else {}),
            },
        }
        if self.kind == "rnn":
            per = self.per_step["W"]
            out.update(
                z=to_list(z[:, :, 0]),
                a=to_list(a[:, :, 0]),
                h=to_list(a[:, :, 0]),
                delta=to_list(dz[:, :, 0]),
                grad_weights_per_step={
                    "hh": to_list(per[:, :, : self.units]),
                    "hx": to_list(per[:, :, self.units :]),
                },
            )
            return out
        out["gates"] = {g: to_list(a[:, :, k]) for k, g in enumerate(self.gates)}
        out["gate_z"] = {g: to_list(z[:, :, k]) for k, g in enumerate(self.gates)}
        out["h"] = to_list(self.cache["h"])
        delta = {g: to_list(dz[:, :, k]) for k, g in enumerate(self.gates)}
        delta["h"] = to_list(self.deltas["h"])
        if self.kind == "lstm":
            out["c"] = to_list(self.cache["c"])
            delta["c"] = to_list(self.deltas["c"])
        out["delta"] = delta
        return out


def lstm_step_backward(
    dE_dh: Tensor,
    dE_dc_next: Tensor,
    f: Tensor,
    i: Tensor,
    g: Tensor,
    o: Tensor,
    c: Tensor,
    c_prev: Tensor,
) -> dict[str, Tensor]:
    """One LSTM step backwards by the lecture's rules (eqs. 124–136).

    `dE_dh` is ∂E/∂o_t = ∂E_t/∂o_t + ∂E_{t+1}/∂h_t (the fork, eq. 124, already summed);
    `dE_dc_next` is ∂E_{t+1}/∂c_t. Returns every intermediate the lecture names.
    """
    tanh_c = torch.tanh(c)
    dE_do_ddagger = dE_dh * o  # ∂E/∂o‡ (o = o† ⊙ o‡)
    delta_o_ddagger = dE_do_ddagger * (1 - tanh_c**2)  # eq. 127
    dE_dc = delta_o_ddagger + dE_dc_next  # eq. 128
    dE_df = dE_dc * c_prev
    return {
        "dE_do_ddagger": dE_do_ddagger,
        "delta_o_ddagger": delta_o_ddagger,
        "dE_dc": dE_dc,
        "dE_df": dE_df,
        "delta_f": dE_df * f * (1 - f),
        "delta_i": dE_dc * g * i * (1 - i),  # δ_i†
        "delta_c": dE_dc * i * (1 - g**2),  # δ_i‡ (eq. 135's label is a typo for i‡)
        "delta_o": dE_dh * tanh_c * o * (1 - o),  # δ_o†
        "dE_dc_prev": dE_dc * f,
    }


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
) -> list[_Dense | _Recurrent]:
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
    layers: list[_Dense | _Recurrent] = []
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
            layers.append(
                _Dense(
                    node.id,
                    block.weight.detach().to(dtype).clone(),  # type: ignore[union-attr]
                    block.bias.detach().to(dtype).clone(),  # type: ignore[union-attr]
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
            _Recurrent(
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
    layers: list[_Dense | _Recurrent],
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
    result = evaluate(loss, reduction, flat_a, flat_t, out_act)
    dE_da = result.dE_da.reshape(shape)
    delta = None if result.delta is None else result.delta.reshape(shape)
    for layer in reversed(layers):
        dense = isinstance(layer, _Dense)
        dE_da = layer.backward(dE_da, delta) if dense else layer.backward(dE_da)  # type: ignore[call-arg]
        delta = None
    per_example = result.per_example.reshape(shape[0], -1).sum(dim=1)
    return {
        "loss": float(result.value),
        "per_example_loss": to_list(per_example),
        "outputs": to_list(result.outputs.reshape(shape)),
        "layers": [layer.report(learning_rate) for layer in layers],
    }
