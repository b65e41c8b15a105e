"""Backpropagation through time written out, without autograd: the lecture's rules step by step.

`RecurrentBPTT` holds one rnn, lstm or gru layer's weights per gate ([units][units + F], h_(t−1)
columns first) and runs its forward pass and BPTT explicitly: the rnn's δ_t = (∂E/∂h_t) ⊙ φ′(z_t),
∂E/∂h_t summing the loss at step t and δ_(t+1) sent back through W_hh; the lstm's fork, product and
sum rules (eqs. 124–146); the gru by the same rules on torch's equations. Weight gradients are
summed over steps and examples; truncated BPTT cuts what flows back through h and c every k steps.
The textbook trace reports it; training probes replay the fused kernels' h_t through it (`replay`)
to get every gate's z, a and δ at every step.
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
                Wn, b_nh = self.W["candidate"], self._b_nh()
                zr = hx @ self.W["reset"].T + self.b["reset"]
                zu = hx @ self.W["update"].T + self.b["update"]
                r, u = torch.sigmoid(zr), torch.sigmoid(zu)
                q = h @ Wn[:, :H].T + b_nh  # W_n^h h + b_n^h
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

    def _b_nh(self) -> Tensor:
        """The gru's b_n^h (every gru has one)."""
        if self.b_nh is None:
            raise ValueError(f"{self.kind} layer {self.id} has no b_n^h")
        return self.b_nh

    def replay(self, x: Tensor, h: Tensor) -> None:
        """Fill the forward cache from h_t that a pass on these weights already computed
        ([N, T, units], every step): with every h_(t−1) known, each gate's z at every step is one
        product, and only the lstm's c_t = f ⊙ c_(t−1) + i† ⊙ i‡ needs a loop (elementwise).
        The same values as `forward` up to rounding, at a fraction of its cost."""
        N, T, _ = x.shape
        H = self.units
        h_prev = torch.cat([self.h0.expand(N, H)[:, None], h[:, :-1]], dim=1)
        hx = torch.cat([h_prev, x], dim=2)  # [N, T, H + F]
        gates = len(self.gates)
        if self.kind == "gru":
            Wn = self.W["candidate"]
            zru = hx @ torch.cat([self.W["reset"], self.W["update"]]).T
            zru = zru + torch.cat([self.b["reset"], self.b["update"]])
            r, u = torch.sigmoid(zru).split(H, dim=2)
            q = h_prev @ Wn[:, :H].T + self._b_nh()  # W_n^h h + b_n^h
            zn = x @ Wn[:, H:].T + self.b["candidate"] + r * q
            z = torch.cat([zru, zn], dim=2).view(N, T, gates, H)
            a = torch.stack([r, u, torch.tanh(zn)], dim=2)
            self.cache = {"q": q}
        else:
            W_all = torch.cat([self.W[g] for g in self.gates])  # [gates·H, H + F]
            b_all = torch.cat([self.b[g] for g in self.gates])
            z = (hx @ W_all.T + b_all).view(N, T, gates, H)
            if self.kind == "rnn":
                a = self.fn.forward(z, None)
                self.cache = {}
            else:
                a = torch.sigmoid(z)
                a[:, :, 2] = torch.tanh(z[:, :, 2])  # i‡, the candidate
                f, i, g_ = a[:, :, 0], a[:, :, 1], a[:, :, 2]
                ig = i * g_
                c = torch.empty_like(h)
                c_prev = self.c0.expand(N, H) if self.c0 is not None else x.new_zeros(N, H)
                for t in range(T):
                    c_prev = torch.addcmul(ig[:, t], f[:, t], c_prev, out=c[:, t])
                self.cache = {"c": c}
        self.cache.update(x=x, h=h, h_prev=h_prev, z=z, a=a)

    def backward(self, dE_dout: Tensor, weight_grads: bool = True) -> Tensor:
        """∂E/∂x for the layer below, from ∂E/∂(this layer's output).

        Fills `deltas` (each gate's δ, ∂E/∂h_t and ∂E/∂c_t through every path, per step) and,
        with `weight_grads`, `grads` (summed over steps and examples) and the rnn's per-step
        contributions `per_step` (the probes need only the deltas).
        """
        x, hs, hp = self.cache["x"], self.cache["h"], self.cache["h_prev"]
        z, a = self.cache["z"], self.cache["a"]
        N, T, _ = x.shape
        H = self.units
        dE_dh_out = dE_dout if self.return_sequences else torch.zeros_like(hs)
        if not self.return_sequences:
            dE_dh_out[:, -1] = dE_dout
        W_all = torch.cat([self.W[g] for g in self.gates])  # [gates·H, H + F]
        W_h = W_all[:, :H]  # what each gate's δ sends back to h_(t−1)
        dh_all = torch.zeros_like(hs)
        dc_all = torch.zeros_like(hs)
        dz_all = torch.zeros_like(z)  # [N, T, gates, H]
        dq_all = torch.zeros_like(hs)  # gru: ∂E/∂(W_n^h h + b_n^h)
        dc_next = x.new_zeros(N, H)
        # Each step's local derivatives depend only on the forward values, so they are taken for
        # every step at once; the loop keeps only what flows from step t+1 back to step t.
        if self.kind == "rnn":
            dphi = self.fn.derivative(z[:, :, 0], a[:, :, 0])
        elif self.kind == "lstm":
            f, i, g_, o = a.unbind(2)
            c = self.cache["c"]
            c0 = self.c0.expand(N, H) if self.c0 is not None else x.new_zeros(N, H)
            c_prev = torch.cat([c0[:, None], c[:, :-1]], dim=1)
            tanh_c = torch.tanh(c)
            via_h = o * (1 - tanh_c**2)  # ∂h_t/∂c_t through o‡ (eq. 127)
            # δ_f, δ_i†, δ_i‡ = ∂E/∂c_t times these (eqs. 130–135); δ_o† = ∂E/∂h_t ⊙ tanh(c_t) ⊙ σ′
            from_c = torch.stack([c_prev * f * (1 - f), g_ * i * (1 - i), i * (1 - g_**2)], dim=2)
            from_h = tanh_c * o * (1 - o)
        else:
            r, u, n = a.unbind(2)
            q = self.cache["q"]
            d_n_dh = (1 - u) * (1 - n**2)
            d_u_dh = (hp - n) * u * (1 - u)
            d_r_dn = q * r * (1 - r)
            Wn_h = self.W["candidate"][:, :H]
            W_ru_h = W_all[: 2 * H, :H]
        # ∂E/∂h_t sums the loss at step t and what step t+1 sends back (a fork sums its branches,
        # eq. 124): step t+1 writes it into dh_all[:, t] in one product-and-sum
        dh_all[:, T - 1] = dE_dh_out[:, T - 1]
        for t in reversed(range(T)):
            dh = dh_all[:, t]
            # truncated BPTT: the state carried into this step gets no gradient
            cut = self.truncate is not None and t % self.truncate == 0
            into = dh_all[:, t - 1] if t > 0 else None  # ∂E/∂h_(t−1), filled below
            if into is not None and cut:
                into.copy_(dE_dh_out[:, t - 1])
            if self.kind == "rnn":
                dz = torch.mul(dh, dphi[:, t], out=dz_all[:, t, 0])
                if into is not None and not cut:
                    torch.addmm(dE_dh_out[:, t - 1], dz, W_h, out=into)
            elif self.kind == "lstm":
                dE_dc = torch.addcmul(dc_next, dh, via_h[:, t], out=dc_all[:, t])  # eq. 128
                torch.mul(dE_dc[:, None], from_c[:, t], out=dz_all[:, t, :3])
                torch.mul(dh, from_h[:, t], out=dz_all[:, t, 3])
                if into is not None and not cut:
                    # eq. 145, the four gates at once
                    torch.addmm(dE_dh_out[:, t - 1], dz_all[:, t].reshape(N, -1), W_h, out=into)
                dc_next = x.new_zeros(N, H) if cut else dE_dc * f[:, t]
            else:
                d_n = dh * d_n_dh[:, t]
                d_q = torch.mul(d_n, r[:, t], out=dq_all[:, t])
                dz_all[:, t, 0] = d_n * d_r_dn[:, t]
                dz_all[:, t, 1] = dh * d_u_dh[:, t]
                dz_all[:, t, 2] = d_n
                if into is not None and not cut:
                    torch.addmm(
                        dE_dh_out[:, t - 1], dz_all[:, t, :2].reshape(N, -1), W_ru_h, out=into
                    )
                    into.addmm_(d_q, Wn_h).addcmul_(dh, u[:, t])
        # what reaches x_t: every gate's δ_t through its x columns, all steps in one product
        dx = dz_all.flatten(2) @ W_all[:, H:]
        self.deltas = {"z": dz_all, "h": dh_all, "c": dc_all}
        if weight_grads:
            self._weight_grads(dz_all, dq_all)
        return dx

    def _weight_grads(self, dz_all: Tensor, dq_all: Tensor) -> None:
        """ΔW = Σ_t δ_t · hx_tᵀ (eq. 137) for every gate, summed over steps and examples."""
        x, hp = self.cache["x"], self.cache["h_prev"]
        hx = torch.cat([hp, x], dim=2)  # [N, T, H + F]
        grads: dict[str, Tensor] = {}
        for k, gate in enumerate(self.gates):
            delta = dz_all[:, :, k]
            if self.kind == "gru" and gate == "candidate":
                # the candidate reads h through r ⊙ (W_n^h h + b_n^h): its h columns take d_q
                grads[gate] = torch.cat(
                    [
                        torch.einsum("ntk,ntj->kj", dq_all, hp),
                        torch.einsum("ntk,ntj->kj", delta, x),
                    ],
                    dim=1,
                )
            else:
                grads[gate] = torch.einsum("ntk,ntj->kj", delta, hx)
            grads[f"bias:{gate}"] = delta.sum(dim=(0, 1))
        if self.kind == "gru":
            grads["bias:candidate_recurrent"] = dq_all.sum(dim=(0, 1))
        self.grads = grads
        if self.kind == "rnn":
            self.per_step = {"W": torch.einsum("ntk,ntj->tkj", dz_all[:, :, 0], hx)}

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
