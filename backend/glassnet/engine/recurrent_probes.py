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
        grad_W={
            g: (
                layer.weight(g).grad.detach()
                if with_grads and layer.weight(g).grad is not None
                else None
            )
            for g in layer.gates
        },
        capture=capture,
    )


def _gate_slice(t: Tensor, k: int, units: int) -> Tensor:
    return t[..., k * units : (k + 1) * units]


def _rms_per_step(t: Tensor) -> list[float | None]:
    """RMS over batch and units at each step of a [B, T, units] tensor (one host transfer)."""
    values = t.detach().to(torch.float64).pow(2).mean(dim=(0, 2)).sqrt().cpu().tolist()
    return [v if math.isfinite(v) else None for v in values]


def gate_saturation(a: Tensor) -> float:
    """Share of a gate's activations below 0.05 or above 0.95 (shut or wide open)."""
    return float(((a < SATURATION_LOW) | (a > SATURATION_HIGH)).to(torch.float64).mean())


def diagnose_through_time(
    curve: Sequence[float | None], truncate: int | None = None
) -> dict[str, object] | None:
    """A plain-language reading of ∂L/∂h_t over t: vanishing, exploding or healthy.

    Compares step 1 with the step whose δ is largest among the later ones: losses at later steps
    send their gradient back towards step 1, and what arrives there is what trains the early
    weights.
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
    last_t, last = max(finite[1:], key=lambda tv: tv[1])
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


def summarise_recurrent(
    probes: Sequence[RecurrentProbe], truncate: int | None = None
) -> list[dict[str, object]]:
    """The `recurrent` list of a snapshot: one entry per recurrent layer (see RecurrentFrame)."""
    out: list[dict[str, object]] = []
    for p in probes:
        cap = p.capture
        tensors: list[Tensor] = []
        keys: list[tuple[str, str]] = []
        for k, gate in enumerate(p.gates):
            values = {
                "W": p.W[gate],
                "z": _gate_slice(cap.z, k, p.units),
                "a": _gate_slice(cap.a, k, p.units),
                "delta": _gate_slice(cap.delta, k, p.units) if cap.delta is not None else None,
                "grad_W": p.grad_W[gate],
            }
            for q in GATE_QUANTITIES:
                if values[q] is not None:
                    tensors.append(values[q])  # type: ignore[arg-type]
                    keys.append((gate, q))
        tensors.append(cap.h)
        keys.append(("", "h"))
        if cap.c is not None:
            tensors.append(cap.c)
            keys.append(("", "c"))
        summaries = dict(zip(keys, summarise(tensors, [None] * len(tensors)), strict=True))
        gates: dict[str, object] = {}
        through_time: dict[str, list[float | None]] = {}
        if cap.dh is not None:
            through_time["h"] = _rms_per_step(cap.dh)
        for k, gate in enumerate(p.gates):
            a = _gate_slice(cap.a, k, p.units)
            gates[gate] = {
                **{q: summaries.get((gate, q)) for q in GATE_QUANTITIES},
                "saturation": gate_saturation(a) if gate in SIGMOID_GATES else None,
            }
            if cap.delta is not None:
                through_time[gate] = _rms_per_step(_gate_slice(cap.delta, k, p.units))
        out.append(
            {
                "id": p.id,
                "kind": p.kind,
                "activation": p.activation,
                "units": p.units,
                "n_features": p.n_features,
                "steps": int(cap.h.shape[1]),
                "gate_names": list(p.gates),
                "gates": gates,
                "h": summaries[("", "h")],
                "c": summaries.get(("", "c")),
                "delta_through_time": through_time or None,
                "diagnosis": diagnose_through_time(through_time["h"], truncate)
                if "h" in through_time
                else None,
            }
        )
    return out
