"""The plain-language diagnosis of one frame: what is wrong inside the network, where, and what to try.

Computed from a frame's per-layer summaries (the `layers` of a snapshot), so a frame scrubbed back in
time carries its own diagnosis. Each rule names the layer and the size of the problem, and suggests
what a student can change. Thresholds, and why:

- δ vanishing: RMS(δ) of a layer < 1 % of the output layer's. Through k sigmoid layers δ shrinks by up
  to 0.25ᵏ·|W|ᵏ; at 1 % the early layers learn ~100× slower than the output and the loss curve stalls.
- δ exploding: RMS(δ) of a layer > 10 × the output layer's (the σ = 0.2 initialisation of the lecture
  gives ≈ 13× after 5 layers of 100 units, with var(δ) growing ×4 per layer).
- z vanishing or exploding forward: var(z) of the deepest hidden layer < 10⁻³ × or > 10³ × the first's.
- saturated units: more than half of a sigmoid/tanh layer's z in the saturation zone (f′ < 2 % of peak).
- dead ReLUs: more than half of a ReLU layer's units output 0 for every example of the batch.
- update/weight ratio: ‖ΔW‖/‖W‖ per step far from the ~10⁻³ rule of thumb: < 10⁻⁵ or > 10⁻¹.
- non-finite values anywhere in W, b, z, a, δ or ∂L/∂W.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeGuard, TypeVar

from glassnet.engine.wording import number, percent, ratio

Severity = Literal["error", "warning", "info"]
Layer = Mapping[str, Any]

RULES: dict[str, float] = {
    "vanishRatio": 1e-2,
    "explodeRatio": 10,
    "zVanishRatio": 1e-3,
    "zExplodeRatio": 1e3,
    "saturatedFrac": 0.5,
    "deadFrac": 0.5,
    "updateRatioLow": 1e-5,
    "updateRatioHigh": 1e-1,
}
QUANTITY_LABEL = {"W": "W", "b": "b", "z": "z", "a": "a", "delta": "δ", "grad_W": "∂L/∂W"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_SQUASHING = {"sigmoid", "tanh", "logistic"}
_RECTIFIERS = {"relu", "rectifier"}
_Row = TypeVar("_Row", bound=tuple[Any, ...])


def _finite(x: Any) -> TypeGuard[float]:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _mapping(x: Any) -> TypeGuard[Mapping[str, Any]]:
    # a frame's parts are dicts: the exact type check first spares the ABC's slow isinstance
    return type(x) is dict or isinstance(x, Mapping)


def _stat(layer: Layer, quantity: str, name: str) -> Any:
    summary = layer.get(quantity)
    stats = summary.get("stats") if _mapping(summary) else None
    return stats.get(name) if _mapping(stats) else None


def _activation(layer: Layer) -> str:
    act = layer.get("activation")
    if _mapping(act):
        act = act.get("kind")
    return str(act or "linear").lower()


def delta_rms(layer: Layer) -> float | None:
    """RMS of δ for a layer, falling back to the RMS of ∂L/∂W when δ is not in the frame."""
    for value in (
        _stat(layer, "delta", "rms"),
        layer.get("delta_rms"),
        _stat(layer, "grad_W", "rms"),
    ):
        if _finite(value):
            return float(value)
    return None


def _first_flag(layer: Layer, name: str) -> float | None:
    for quantity in ("z", "a"):
        value = _stat(layer, quantity, name)
        if _finite(value):
            return float(value)
    return None


def _finding(
    code: str, severity: Severity, layer: Layer, value: float, message: str
) -> dict[str, Any]:
    return {
        "code": code,
        "severity": severity,
        "layer": layer["id"],
        "value": value,
        "message": message,
    }


def diagnose(layers: Sequence[Layer]) -> list[dict[str, Any]]:
    """Every finding for a frame's layers (input → output), errors first, each a `Diagnostic`."""
    layers = [layer for layer in layers if isinstance(layer.get("id"), str)]
    if not layers:
        return []
    out = _nonfinite(layers) + _delta_flow(layers) + _forward_signal(layers) + _per_layer(layers)
    return sorted(out, key=lambda d: _SEVERITY_ORDER[d["severity"]])


def _nonfinite(layers: list[Layer]) -> list[dict[str, Any]]:
    """The run has diverged: one line, naming the first layer and quantity hit."""
    broken = []
    for layer in layers:
        for quantity, label in QUANTITY_LABEL.items():
            share = _stat(layer, quantity, "frac_nonfinite")
            if _finite(share) and share > 0:
                broken.append((layer, label, float(share)))
                break
    if not broken:
        return []
    layer, label, share = broken[0]
    more = len(broken) - 1
    others = f" (and in {more} more layer{'s' if more > 1 else ''})" if more else ""
    return [
        _finding(
            "nonfinite",
            "error",
            layer,
            share,
            f"{percent(share)} of {label} in layer {layer['id']} is NaN or ∞{others}: training has "
            "diverged; lower the learning rate, use smaller initial weights, or clip gradients.",
        )
    ]


def _delta_flow(layers: list[Layer]) -> list[dict[str, Any]]:
    """δ of every hidden layer relative to the output layer's."""
    out_rms = delta_rms(layers[-1])
    if out_rms is None or out_rms <= 0 or len(layers) < 2:
        return []
    low: tuple[Layer, float] | None = None
    high: tuple[Layer, float] | None = None
    for layer in layers[:-1]:
        rms = delta_rms(layer)
        if rms is None:
            continue
        r = rms / out_rms
        if r < RULES["vanishRatio"] and (low is None or r < low[1]):
            low = (layer, r)
        if r > RULES["explodeRatio"] and (high is None or r > high[1]):
            high = (layer, r)
    found = []
    if low is not None:
        layer, r = low
        found.append(
            _finding(
                "vanishing",
                "warning",
                layer,
                r,
                f"δ in layer {layer['id']} is {ratio(r)} × the output layer's: gradients are "
                "vanishing; try Xavier/He init, ReLU, or batch norm.",
            )
        )
    if high is not None:
        layer, r = high
        found.append(
            _finding(
                "exploding",
                "warning",
                layer,
                r,
                f"δ in layer {layer['id']} is {ratio(r)} × the output layer's: gradients are "
                "exploding; use smaller initial weights (Xavier/He), a lower learning rate, or "
                "gradient clipping.",
            )
        )
    return found


def _forward_signal(layers: list[Layer]) -> list[dict[str, Any]]:
    """var(z) of the deepest hidden layer against the first's."""
    hidden = [layer for layer in layers[:-1] if _finite(layer.get("var_z_measured"))]
    if len(hidden) < 2:
        return []
    first, last = hidden[0], hidden[-1]
    v0, v1 = float(first["var_z_measured"]), float(last["var_z_measured"])
    if v0 <= 0:
        return []
    r = v1 / v0
    if r < RULES["zVanishRatio"]:
        return [
            _finding(
                "z_vanishing",
                "warning",
                last,
                r,
                f"var(z) in layer {last['id']} is {ratio(r)} × layer {first['id']}'s: the signal "
                "shrinks with depth; make the initial weights larger (Xavier: var(W) = 1/n_in, "
                "He: 2/n_in).",
            )
        ]
    if r > RULES["zExplodeRatio"]:
        return [
            _finding(
                "z_exploding",
                "warning",
                last,
                r,
                f"var(z) in layer {last['id']} is {ratio(r)} × layer {first['id']}'s: the signal "
                "grows with depth; make the initial weights smaller (Xavier: var(W) = 1/n_in).",
            )
        ]
    return []


def _per_layer(layers: list[Layer]) -> list[dict[str, Any]]:
    """Conditions of single layers, merged into one line each that names every layer concerned, so
    a deep network with the same problem everywhere gives one readable sentence, not ten."""
    saturated: list[tuple[Layer, float, str]] = []
    dead: list[tuple[Layer, float]] = []
    small: list[tuple[Layer, float]] = []
    large: list[tuple[Layer, float]] = []
    for layer in layers:
        act = _activation(layer)
        sat = _first_flag(layer, "frac_saturated")
        if act in _SQUASHING and sat is not None and sat > RULES["saturatedFrac"]:
            saturated.append((layer, sat, act))
        frac_dead = _first_flag(layer, "frac_dead")
        if act in _RECTIFIERS and frac_dead is not None and frac_dead > RULES["deadFrac"]:
            dead.append((layer, frac_dead))
        update = layer.get("update_ratio")
        if _finite(update) and update > 0:
            if update < RULES["updateRatioLow"]:
                small.append((layer, float(update)))
            elif update > RULES["updateRatioHigh"]:
                large.append((layer, float(update)))
    found = []
    if saturated:
        layer, v, act = _worst(saturated, max)
        found.append(
            _finding(
                "saturated",
                "warning",
                layer,
                v,
                f"{percent(v)} of the {act} units in layer {layer['id']}{_also(saturated, layer)} "
                "are saturated (f′ < 2 % of its peak): little gradient passes; use smaller initial "
                "weights or standardise the inputs.",
            )
        )
    if dead:
        layer, v = _worst(dead, max)
        found.append(
            _finding(
                "dead_relu",
                "warning",
                layer,
                v,
                f"{percent(v)} of the ReLU units in layer {layer['id']}{_also(dead, layer)} are "
                "dead (zero for every example): they get no gradient; lower the learning rate, use "
                "He init, or try leaky ReLU.",
            )
        )
    if small:
        layer, v = _worst(small, min)
        found.append(
            _finding(
                "update_small",
                "info",
                layer,
                v,
                f"Updates in {_layers(small)} change W by as little as {number(v)} of its size per "
                "step (rule of thumb ≈ 10⁻³): learning is very slow; raise the learning rate.",
            )
        )
    if large:
        layer, v = _worst(large, max)
        found.append(
            _finding(
                "update_large",
                "warning",
                layer,
                v,
                f"Updates in {_layers(large)} change W by up to {number(v)} of its size per step "
                "(rule of thumb ≈ 10⁻³): training may be unstable; lower the learning rate.",
            )
        )
    return found


def _worst(rows: list[_Row], pick: Callable[..., float]) -> _Row:
    """The first row whose value is the extreme (`max` or `min`), as the app has always shown."""
    best = pick(row[1] for row in rows)
    return next(row for row in rows if row[1] == best)


def _also(rows: Sequence[tuple[Any, ...]], shown: Layer) -> str:
    others = [row[0]["id"] for row in rows if row[0] is not shown]
    return f" (also {', '.join(others)})" if others else ""


def _layers(rows: Sequence[tuple[Any, ...]]) -> str:
    names = ", ".join(row[0]["id"] for row in rows)
    return f"{'layers' if len(rows) > 1 else 'layer'} {names}"
