"""Probes of recurrent layers: per-gate W, z, a, δ; h and c; δ through time and gate saturation.

δ through time is the RMS over the batch and units of ∂L/∂h_t (every path into h_t) and of each
gate's δ_t = ∂L/∂z_t, per step t: a curve whose fall (or rise) towards step 1 is the gradient
vanishing (or exploding) through time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from glassnet.engine.recurrent import SIGMOID_GATES, RecurrentCapture, RecurrentLayer
from glassnet.engine.summary import summarise

GATE_QUANTITIES = ("W", "z", "a", "delta", "grad_W")
SATURATION_LOW, SATURATION_HIGH = 0.05, 0.95
VANISHING_RATIO = 1e-3  # δ at step 1 below this share of δ at the last step: vanishing
EXPLODING_RATIO = 1e3  # above this: exploding


@dataclass
class RecurrentProbe:
    """One recurrent layer's tensors at one step of training."""

    id: str
    kind: str
    activation: str
    gates: tuple[str, ...]
    units: int
    n_features: int
    W: dict[str, Tensor]  # per gate, [units][units + F]
    b: dict[str, Tensor]
    grad_W: dict[str, Tensor | None]
    capture: RecurrentCapture


def _grad(weight: Tensor) -> Tensor | None:
    """∂L/∂W of one gate, detached; None before its first backward pass."""
    return weight.grad.detach() if weight.grad is not None else None


def recurrent_probe(
    layer: RecurrentLayer, capture: RecurrentCapture, with_grads: bool
) -> RecurrentProbe:
    """The probe of one layer after its forward (and, when `with_grads`, backward) pass."""
    capture.collect()
    return RecurrentProbe(
        id=layer.id,
        kind=layer.kind,
        activation=layer.fn.name if layer.kind == "rnn" else "gates",
        gates=layer.gates,
        units=layer.units,
        n_features=layer.n_features,
        W={g: layer.weight(g).detach() for g in layer.gates},
        b={g: layer.bias(g).detach() for g in layer.gates},
        grad_W={g: _grad(layer.weight(g)) if with_grads else None for g in layer.gates},
        capture=capture,
    )


def diagnose_through_time(
    curve: Sequence[float | None], truncate: int | None = None
) -> dict[str, object] | None:
    """A plain-language reading of ∂L/∂h_t over t: vanishing, exploding or healthy.

    Compares step 1 with the last step that has a gradient: the loss enters there and its
    gradient travels back towards step 1; what arrives is what trains on the early steps.
    """
    finite = [(t, v) for t, v in enumerate(curve) if v is not None]
    if truncate is not None and finite and finite[0][1] == 0:
        reached = next((t for t, v in finite if v != 0), None)
        return {
            "kind": "truncated",
            "ratio": 0.0,
            "message": f"truncated BPTT cuts the gradient every {truncate} steps: no loss reaches "
            f"back past the cut, so δ is 0 before step {(reached or 0) + 1}.",
        }
    if len(finite) < 2:
        return None
    first = finite[0][1]
    # the reference is the last step with a gradient: where the loss enters (the only place
    # for a single target after the last step)
    last_t, last = next(((t, v) for t, v in reversed(finite[1:]) if v != 0), (0, 0.0))
    if last == 0:
        return None
    ratio = first / last
    where = f"δ at step 1 is {_power(ratio)} of δ at step {last_t + 1}"
    if ratio < VANISHING_RATIO:
        return {
            "kind": "vanishing",
            "ratio": ratio,
            "message": f"{where}: the gradient vanishes through time; try an LSTM, a shorter "
            "truncation, or clipping.",
        }
    if ratio > EXPLODING_RATIO:
        return {
            "kind": "exploding",
            "ratio": ratio,
            "message": f"{where}: the gradient explodes through time; clip the gradients "
            "(training.clip.norm), lower the learning rate, or use an LSTM.",
        }
    return {
        "kind": "healthy",
        "ratio": ratio,
        "message": f"{where}: the gradient reaches the first steps.",
    }


def _power(ratio: float) -> str:
    """10⁻⁶-style rendering of a ratio."""
    if ratio <= 0:
        return "0"
    exponent = round(math.log10(ratio))
    if exponent == 0:
        return f"{ratio:.2g}×"
    digits = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{digits}"


def _by_gate(t: Tensor, gates: int) -> Tensor:
    """[B, T, gates·units] → [gates, B, T, units], contiguous: each gate's values in one block
    (one copy, so that every per-gate summary and reduction reads contiguous memory)."""
    B, T, width = t.shape
    return t.reshape(B, T, gates, width // gates).permute(2, 0, 1, 3).contiguous()


def _curves_and_saturation(
    dh: Tensor | None, delta: Tensor | None, a: Tensor, gates: int, h: Tensor
) -> Tensor:
    """One vector on the probe's device: RMS per step of ∂L/∂h_t and of each gate's δ (when
    captured; in float64, where a vanishing δ of 1e-20 still squares to a number), then each
    gate's saturated share, then RMS per step of h_t — so a layer costs one host transfer."""
    parts: list[Tensor] = []
    if dh is not None:
        parts.append(dh.to(torch.float64).pow(2).mean(dim=(0, 2)).sqrt())
    if delta is not None:
        parts.append(delta.to(torch.float64).pow(2).mean(dim=(1, 3)).sqrt().reshape(-1))
    shut_or_open = (a < SATURATION_LOW) | (a > SATURATION_HIGH)
    # the share as a count over the number of values (exact in float64, as the mean of 0s and 1s
    # is), without a float64 copy of every value
    per_gate = shut_or_open.reshape(gates, -1)
    parts.append(per_gate.sum(dim=1, dtype=torch.float64) / per_gate.shape[1])
    parts.append(h.to(torch.float64).pow(2).mean(dim=(0, 2)).sqrt())
    return torch.cat(parts)


def summarise_recurrent(
    probes: Sequence[RecurrentProbe], truncate: int | None = None
) -> list[dict[str, object]]:
    """The `recurrent` list of a snapshot: one entry per recurrent layer (see RecurrentFrame).

    Every layer's quantities are summarised in one batched `summarise` call, and the δ-through-
    time curves and saturations of each layer come to the host in one transfer.
    """
    tensors: list[Tensor] = []
    keys: list[tuple[str, str, str]] = []
    per_gate: dict[str, tuple[Tensor, Tensor, Tensor | None]] = {}
    for p in probes:
        cap = p.capture
        G = len(p.gates)
        z, a = _by_gate(cap.z, G), _by_gate(cap.a, G)
        delta = _by_gate(cap.delta, G) if cap.delta is not None else None
        per_gate[p.id] = (z, a, delta)
        for k, gate in enumerate(p.gates):
            values = {
                "W": p.W[gate],
                "z": z[k],
                "a": a[k],
                "delta": delta[k] if delta is not None else None,
                "grad_W": p.grad_W[gate],
            }
            for q in GATE_QUANTITIES:
                value = values[q]
                if value is not None:
                    tensors.append(value)
                    keys.append((p.id, gate, q))
        tensors.append(cap.h)
        keys.append((p.id, "", "h"))
        if cap.c is not None:
            tensors.append(cap.c)
            keys.append((p.id, "", "c"))
    summaries = dict(zip(keys, summarise(tensors, [None] * len(tensors)), strict=True))
    out: list[dict[str, object]] = []
    for p in probes:
        cap = p.capture
        steps = int(cap.h.shape[1])
        # one host transfer per layer (a sync point on CUDA)
        _, a, delta = per_gate[p.id]
        curves = _curves_and_saturation(cap.dh, delta, a, len(p.gates), cap.h)
        curve: list[float | None] = [v if math.isfinite(v) else None for v in curves.tolist()]
        h_through_time, curve = curve[len(curve) - steps :], curve[: len(curve) - steps]
        through_time: dict[str, list[float | None]] = {}
        at = 0
        if cap.dh is not None:
            through_time["h"], at = curve[:steps], steps
        if cap.delta is not None:
            for gate in p.gates:
                through_time[gate], at = curve[at : at + steps], at + steps
        saturation = dict(zip(p.gates, curve[at:], strict=True))
        gates = {
            gate: {
                **{q: summaries.get((p.id, gate, q)) for q in GATE_QUANTITIES},
                "saturation": saturation[gate] if gate in SIGMOID_GATES else None,
            }
            for gate in p.gates
        }
        out.append(
            {
                "id": p.id,
                "kind": p.kind,
                "activation": p.activation,
                "units": p.units,
                "n_features": p.n_features,
                "steps": steps,
                "gate_names": list(p.gates),
                "gates": gates,
                "h": summaries[(p.id, "", "h")],
                "c": summaries.get((p.id, "", "c")),
                "delta_through_time": through_time or None,
                "h_through_time": h_through_time,
                "diagnosis": diagnose_through_time(through_time["h"], truncate)
                if "h" in through_time
                else None,
            }
        )
    return out
