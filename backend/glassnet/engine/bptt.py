"""Backpropagation through time written out, without autograd: the lecture's rules step by step.

`RecurrentBPTT` holds one rnn, lstm or gru layer's weights per gate ([units][units + F], h_(t−1)
columns first) and runs its forward pass and BPTT explicitly: the rnn's δ_t = (∂E/∂h_t) ⊙ φ′(z_t),
∂E/∂h_t summing the loss at step t and δ_(t+1) sent back through W_hh; the lstm's fork, product and
sum rules (eqs. 124–146); the gru by the same rules on torch's equations. Weight gradients are
summed over steps and examples; truncated BPTT cuts what flows back through h and c every k steps.
The textbook trace reports it; training probes run it beside the fused kernels to get every gate's
z, a and δ at every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn
from shared_schemas.recurrent import gate_names


@dataclass
class RecurrentBPTT:
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
