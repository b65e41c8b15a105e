"""Recurrent layers rnn, lstm and gru, with their weights in the lecture's layout, gate by gate.

rnn (Kelleher eq. 110):  h_t = φ(W_hh h_{t−1} + W_hx x_t + b)
lstm (the lecture's cell on hx_t = [h_{t−1}; x_t]):
    f = σ(W_f hx + b_f), i† = σ(W_i hx + b_i), i‡ = tanh(W_c hx + b_c), o† = σ(W_o hx + b_o)
    c_t = f ⊙ c_{t−1} + i† ⊙ i‡,  h_t = o† ⊙ tanh(c_t)
gru (torch's equations):
    r = σ(W_r hx + b_r), u = σ(W_u hx + b_u), n = tanh(W_n^x x + b_n + r ⊙ (W_n^h h + b_n^h))
    h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}

Each gate owns its parameters ([units][units + F], the h_{t−1} columns first) so weights can be
given in the lecture's layout and summarised gate by gate. Training runs torch's fused kernels on
those weights (the same equations: the tests hold them equal); a step that is probed also hands the
h_t it computed to the written-out cell (`glassnet.engine.bptt`), for every gate's z, a and δ at
every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from glassnet.engine.activations import ActivationFn, get_activation
from glassnet.engine.bptt import RecurrentBPTT
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
    """One recurrent layer's pass, every step: each gate's z and a, h and c, and after backward
    δ through time (∂L/∂h_t through every path and each gate's δ_t = ∂L/∂z_t).

    z and a are [B, T, gates·units] (gate g in columns g·units … (g+1)·units); h and c [B, T, units].
    They come from `bptt`, the written-out cell run beside the training pass on the same weights;
    backward hands it ∂L/∂(layer output) and `collect` runs BPTT by the lecture's rules.
    """

    x: Tensor
    z: Tensor
    a: Tensor
    h: Tensor
    c: Tensor | None
    bptt: RecurrentBPTT = field(repr=False)
    delta: Tensor | None = None  # ∂L/∂z per step and gate, [B, T, gates·units]
    dh: Tensor | None = None  # ∂L/∂h_t through every path, [B, T, units]
    dout: Tensor | None = field(default=None, repr=False)

    def receive(self, grad: Tensor) -> None:
        """Backward hook on the layer's output: keep ∂L/∂output for `collect`."""
        self.dout = grad.detach()

    @torch.no_grad()
    def collect(self) -> None:
        """δ through time from ∂L/∂output (call after backward; a pass without one has none)."""
        if self.dout is None:
            return
        # the weight gradients are the training pass's own; only the deltas are wanted here
        self.bptt.backward(self.dout.to(self.x.dtype), weight_grads=False)
        self.delta = self.bptt.deltas["z"].flatten(2)
        self.dh = self.bptt.deltas["h"]


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
        layer's per-step tensors, and δ through time once backward has run.
        """
        seq = (
            self._fused(x, state, truncate) if self._fused_ok() else self._loop(x, state, truncate)
        )
        out = seq if self.return_sequences else seq[:, -1]
        if capture is not None:
            capture[self.id] = self._capture(x, state, truncate, seq, out)
        return out

    def _loop(
        self, x: Tensor, state: tuple[Tensor, Tensor | None] | None, truncate: int | None
    ) -> Tensor:
        """The rnn step by step, for the φ that torch has no fused kernel for (sigmoid, ...):
        h_t for every step, [B, T, units]."""
        B, T, _ = x.shape
        H = self.units
        W = self.weight("hidden")
        # one product for every step's input projection; only h_(t−1) needs the loop
        zx = torch.nn.functional.linear(x, W[:, H:], self.bias("hidden"))
        W_h = W[:, :H]
        h = x.new_zeros(B, H) if state is None else state[0].expand(B, H)
        hs = []
        for t in range(T):
            if truncate is not None and t > 0 and t % truncate == 0:
                h = h.detach()
            h = self.fn.forward(zx[:, t] + h @ W_h.t(), None)
            hs.append(h)
        return torch.stack(hs, dim=1)

    def _capture(
        self,
        x: Tensor,
        state: tuple[Tensor, Tensor | None] | None,
        truncate: int | None,
        seq: Tensor,
        out: Tensor,
    ) -> RecurrentCapture:
        """Every gate's z and a at every step from the training pass's own h_t (`seq`), by the
        written-out cell on the same weights and state (no autograd); hook the output for δ
        through time."""
        H = self.units
        with torch.no_grad():
            h0 = state[0] if state is not None else x.new_zeros(H)
            c0 = None
            if self.kind == "lstm":
                c0 = state[1] if state is not None and state[1] is not None else x.new_zeros(H)
            bptt = RecurrentBPTT(
                id=self.id,
                kind=self.kind,
                units=H,
                return_sequences=self.return_sequences,
                W={g: self.weight(g).detach() for g in self.gates},
                b={g: self.bias(g).detach() for g in self.gates},
                fn=self.fn,
                truncate=truncate,
                h0=h0.detach(),
                c0=None if c0 is None else c0.detach(),
                b_nh=self.bias_candidate_recurrent.detach() if self.kind == "gru" else None,
            )
            bptt.replay(x.detach(), seq.detach())
        cache = bptt.cache
        cap = RecurrentCapture(
            x=x.detach(),
            z=cache["z"].flatten(2),
            a=cache["a"].flatten(2),
            h=cache["h"],
            c=cache.get("c"),
            bptt=bptt,
        )
        if out.requires_grad:
            out.register_hook(cap.receive)
        return cap

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
        steps that are not probed, so watching a run costs only its capture frames. Returns
        h_t for every step, [B, T, units]."""
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
                assert c is not None  # every lstm carries its cell state (set above)
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
        return outs[0] if len(outs) == 1 else torch.cat(outs, 1)
