"""Recurrent layers written out with the lecture's equations, so every gate's z and a can be probed.

rnn (Kelleher eq. 110):  h_t = φ(W_hh h_{t−1} + W_hx x_t + b)
lstm (the lecture's cell on hx_t = [h_{t−1}; x_t]):
    f = σ(W_f hx + b_f), i† = σ(W_i hx + b_i), i‡ = tanh(W_c hx + b_c), o† = σ(W_o hx + b_o)
    c_t = f ⊙ c_{t−1} + i† ⊙ i‡,  h_t = o† ⊙ tanh(c_t)
gru (torch's equations):
    r = σ(W_r hx + b_r), u = σ(W_u hx + b_u), n = tanh(W_n^x x + b_n + r ⊙ (W_n^h h + b_n^h))
    h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}

Each gate owns its parameters ([units][units + F], the h_{t−1} columns first) so weights can be
given in the lecture's layout and summarised gate by gate; the forward pass concatenates them and
projects every step's x_t in one matrix product, then runs one small product per step for h_{t−1}.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from glassnet.engine.activations import ActivationFn, get_activation
from glassnet.engine.initializers import init_weight
from shared_schemas.recurrent import gate_names
from shared_schemas.runspec import (
    GateInit,
    GruNode,
    InitSpec,
    LstmNode,
    RnnNode,
    activation_spec,
)

INPUT_INIT = InitSpec(scheme="xavier_uniform", mode="fan_avg")
RECURRENT_INIT = InitSpec(scheme="orthogonal", gain=1.0)
LSTM_FORGET_BIAS = 1.0  # a forget gate that starts open lets the gradient through c from step 1
SIGMOID_GATES = frozenset({"forget", "input", "output", "reset", "update"})


@dataclass
class RecurrentCapture:
    """One recurrent layer's pass: per step and gate, z and a; h and c; δ through time on capture.

    z and a are [B, T, gates·units] (gate g in columns g·units … (g+1)·units); h and c [B, T, units].
    During backward, hooks on each step's z_t and h_t (tensors of the graph, not leaves) file
    ∂L/∂z_t and ∂L/∂h_t under their step; `collect` stacks them.
    """

    x: Tensor
    z: Tensor
    a: Tensor
    h: Tensor
    c: Tensor | None
    steps: int = 0
    delta: Tensor | None = None  # ∂L/∂z per step and gate, [B, T, gates·units]
    dh: Tensor | None = None  # ∂L/∂h_t through every path, [B, T, units]
    _dz: dict[int, Tensor] = field(default_factory=dict, repr=False)
    _dh: dict[int, Tensor] = field(default_factory=dict, repr=False)

    def watch(self, t: int, z: Tensor, h: Tensor) -> None:
        """Hook step t's z and h so backward files their gradients here."""
        z.register_hook(lambda grad: self._dz.__setitem__(t, grad.detach()))
        h.register_hook(lambda grad: self._dh.__setitem__(t, grad.detach()))

    def collect(self) -> None:
        """Stack the per-step gradients gathered by the hooks (call after backward). A step no
        loss reaches (cut off by truncation, or after the step a single target reads) has a
        gradient of 0."""
        if self._dz and len(self._dz) == self.steps:
            self.delta = torch.stack([self._dz[t] for t in range(self.steps)], dim=1)
        if self._dh:
            zero = torch.zeros_like(self.h[:, 0])
            self.dh = torch.stack([self._dh.get(t, zero) for t in range(self.steps)], dim=1)
        self._dz, self._dh = {}, {}


class RecurrentLayer(nn.Module):
    """An rnn, lstm or gru node over a batch of sequences [B, T, F]."""

    def __init__(
        self,
        node: RnnNode | LstmNode | GruNode,
        in_shape: tuple[int, ...],
        generator: torch.Generator,
        dtype: torch.dtype,
    ) -> None:
        super().__init__()
        self.id = node.id
        self.kind = node.kind
        self.units = node.units
        self.n_features = in_shape[-1]
        self.return_sequences = node.return_sequences
        self.gates = gate_names(node.kind)
        act = activation_spec(node.activation) if isinstance(node, RnnNode) else None
        self.fn: ActivationFn = get_activation(act or activation_spec("tanh"))
        H, F = self.units, self.n_features
        for gate in self.gates:
            w_h, w_x = self._initial_weights(node, gate, generator, dtype)
            self.register_parameter(f"weight_{gate}", nn.Parameter(torch.cat([w_h, w_x], 1)))
            self.register_parameter(
                f"bias_{gate}", nn.Parameter(self._initial_bias(node, gate, dtype))
            )
        if isinstance(node, GruNode):
            given = node.bias.get("candidate_recurrent") if node.bias else None
            b = (
                torch.tensor(given, dtype=dtype)
                if given is not None
                else torch.zeros(H, dtype=dtype)
            )
            self.bias_candidate_recurrent = nn.Parameter(b)
        assert self.weight(self.gates[0]).shape == (H, H + F)

    # --- parameters in the lecture's layout ------------------------------------------------------

    def _initial_weights(
        self,
        node: RnnNode | LstmNode | GruNode,
        gate: str,
        generator: torch.Generator,
        dtype: torch.dtype,
    ) -> tuple[Tensor, Tensor]:
        H, F = self.units, self.n_features
        if isinstance(node, RnnNode):
            if node.weights is not None:
                return (
                    torch.tensor(node.weights["hh"], dtype=dtype),
                    torch.tensor(node.weights["hx"], dtype=dtype),
                )
            init = node.init or GateInit()
        else:
            if node.weights is not None:
                w = torch.tensor(node.weights[gate], dtype=dtype)  # type: ignore[index]
                return w[:, :H], w[:, H:]
            init = (node.init or {}).get(gate) or GateInit()  # type: ignore[call-overload]
        w_h = init_weight(init.recurrent or RECURRENT_INIT, (H, H), generator, dtype)
        w_x = init_weight(init.input or INPUT_INIT, (H, F), generator, dtype)
        return w_h, w_x

    def _initial_bias(
        self, node: RnnNode | LstmNode | GruNode, gate: str, dtype: torch.dtype
    ) -> Tensor:
        H = self.units
        if isinstance(node, RnnNode):
            if node.bias is not None:
                return torch.tensor(node.bias, dtype=dtype)
            value = (node.init.bias if node.init else None) or 0.0
            return torch.full((H,), float(value), dtype=dtype)
        if node.bias is not None:
            return torch.tensor(node.bias[gate], dtype=dtype)  # type: ignore[index]
        init = (node.init or {}).get(gate)  # type: ignore[call-overload]
        default = LSTM_FORGET_BIAS if (node.kind == "lstm" and gate == "forget") else 0.0
        value = init.bias if init is not None and init.bias is not None else default
        return torch.full((H,), float(value), dtype=dtype)

    def weight(self, gate: str) -> Tensor:
        """W of one gate, [units][units + F] (rnn's 'hidden' gate: [W_hh | W_hx])."""
        return getattr(self, f"weight_{gate}")

    def bias(self, gate: str) -> Tensor:
        return getattr(self, f"bias_{gate}")

    def gate_weights(self) -> list[Tensor]:
        return [self.weight(g) for g in self.gates]

    @property
    def n_in(self) -> int:
        """Fan-in of one unit: h_{t−1} and x_t."""
        return self.units + self.n_features

    # --- the forward pass ----------------------------------------------------------------------

    def forward(
        self,
        x: Tensor,
        state: tuple[Tensor, Tensor | None] | None = None,
        truncate: int | None = None,
        capture: dict[str, RecurrentCapture] | None = None,
    ) -> Tensor:
        """h for a batch of sequences x [B, T, F]: [B, T, units], or [B, units] for the last step.

        `state` is (h_0, c_0) (zeros when None); `truncate` = k detaches the state every k steps
        (truncated BPTT: the value carries on, the gradient stops); `capture` receives this
        layer's per-step tensors and hooks that collect δ through time on backward.
        """
        if capture is None and self._fused_ok():
            return self._fused(x, state, truncate)
        B, T, _ = x.shape
        H = self.units
        W = torch.cat(self.gate_weights(), 0)  # [G·H, H + F]
        b = torch.cat([self.bias(g) for g in self.gates], 0)
        W_h, W_x = W[:, :H], W[:, H:]
        # one product for every step's input projection; only h_{t−1} needs the loop
        zx = torch.nn.functional.linear(x, W_x, b)  # [B, T, G·H]
        if state is None:
            h = x.new_zeros(B, H)
            c = x.new_zeros(B, H) if self.kind == "lstm" else None
        else:
            h, c = state
            h = h.expand(B, H)
            c = (
                c.expand(B, H)
                if c is not None
                else (x.new_zeros(B, H) if self.kind == "lstm" else None)
            )
        probe = capture is not None
        zs: list[Tensor] = []
        as_: list[Tensor] = []
        hs: list[Tensor] = []
        cs: list[Tensor] = []
        for t in range(T):
            if truncate is not None and t > 0 and t % truncate == 0:
                h = h.detach()
                c = c.detach() if c is not None else None
            if self.kind == "rnn":
                z = zx[:, t] + h @ W_h.t()
                a = self.fn.forward(z, None)
                h = a
            elif self.kind == "lstm":
                z = zx[:, t] + h @ W_h.t()
                zf, zi, zc, zo = z.split(H, dim=1)
                f, i, g, o = torch.sigmoid(zf), torch.sigmoid(zi), torch.tanh(zc), torch.sigmoid(zo)
                c = f * c + i * g  # type: ignore[operator]
                h = o * torch.tanh(c)
                a = torch.cat([f, i, g, o], 1) if probe else z
                cs.append(c)
            else:
                z, a, h = self._gru_step(zx[:, t], h, W_h)
            if probe:
                zs.append(z)
                as_.append(a)
            hs.append(h)
        out = torch.stack(hs, dim=1)
        if capture is not None:
            cap = RecurrentCapture(
                x=x.detach(),
                z=torch.stack(zs, 1).detach(),
                a=torch.stack(as_, 1).detach(),
                h=out.detach(),
                c=torch.stack(cs, 1).detach() if cs else None,
                steps=T,
            )
            if out.requires_grad:
                for t, (z, h_t) in enumerate(zip(zs, hs, strict=True)):
                    cap.watch(t, z, h_t)
            capture[self.id] = cap
        return out if self.return_sequences else out[:, -1]

    # --- the fused path -------------------------------------------------------------------------

    def _fused_ok(self) -> bool:
        """torch has fused kernels for the same maths: lstm, gru, and rnn with tanh or relu."""
        return self.kind != "rnn" or self.fn.name in ("tanh", "relu")

    def _torch_params(self) -> list[Tensor]:
        """[W_ih, W_hh, b_ih, b_hh] in torch's layout, built from the per-gate parameters (so
        gradients flow back to them). torch orders lstm gates i, f, g, o and gru gates r, z, n."""
        H = self.units
        order = {
            "rnn": ("hidden",),
            "lstm": ("input", "forget", "candidate", "output"),
            "gru": ("reset", "update", "candidate"),
        }[self.kind]
        W = torch.cat([self.weight(g) for g in order], 0)
        b_ih = torch.cat([self.bias(g) for g in order], 0)
        if self.kind == "gru":
            b_hh = torch.cat([b_ih.new_zeros(2 * H), self.bias_candidate_recurrent])
        else:
            b_hh = b_ih.new_zeros(b_ih.shape)
        return [W[:, H:], W[:, :H], b_ih, b_hh]

    def _fused(
        self, x: Tensor, state: tuple[Tensor, Tensor | None] | None, truncate: int | None
    ) -> Tensor:
        """The forward pass by torch's fused recurrent kernels: the same equations as the
        written-out loop (the tests hold them equal), one call per truncation chunk. Used on the
        steps that are not probed, so watching a run costs only its capture frames."""
        B, T, _ = x.shape
        H = self.units
        params = self._torch_params()
        h = x.new_zeros(1, B, H) if state is None else state[0].expand(B, H)[None].contiguous()
        c = None
        if self.kind == "lstm":
            given = state[1] if state is not None else None
            c = x.new_zeros(1, B, H) if given is None else given.expand(B, H)[None].contiguous()
        chunk = truncate or T
        outs: list[Tensor] = []
        for start in range(0, T, chunk):
            if start > 0:
                h = h.detach()  # truncated BPTT: the state carries on, its gradient stops
                c = c.detach() if c is not None else None
            piece = x[:, start : start + chunk]
            if self.kind == "lstm":
                out, h, c = torch.lstm(
                    piece, (h, c), params, True, 1, 0.0, self.training, False, True
                )
            elif self.kind == "gru":
                out, h = torch.gru(piece, h, params, True, 1, 0.0, self.training, False, True)
            elif self.fn.name == "tanh":
                out, h = torch.rnn_tanh(piece, h, params, True, 1, 0.0, self.training, False, True)
            else:
                out, h = torch.rnn_relu(piece, h, params, True, 1, 0.0, self.training, False, True)
            outs.append(out)
        seq = outs[0] if len(outs) == 1 else torch.cat(outs, 1)
        return seq if self.return_sequences else seq[:, -1]

    def _gru_step(self, zx_t: Tensor, h: Tensor, W_h: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(z, a, h_t) of one GRU step; z_n = W_n^x x + b_n + r ⊙ (W_n^h h + b_n^h)."""
        H = self.units
        zh = h @ W_h.t()
        zr = zx_t[:, :H] + zh[:, :H]
        zu = zx_t[:, H : 2 * H] + zh[:, H : 2 * H]
        r, u = torch.sigmoid(zr), torch.sigmoid(zu)
        zn = zx_t[:, 2 * H :] + r * (zh[:, 2 * H :] + self.bias_candidate_recurrent)
        n = torch.tanh(zn)
        h_new = (1 - u) * n + u * h
        return torch.cat([zr, zu, zn], 1), torch.cat([r, u, n], 1), h_new
