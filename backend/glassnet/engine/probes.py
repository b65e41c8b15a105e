"""Per-layer probes: W, b, z, a, δ and ∂L/∂W summarised, with the variance prediction beside them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn
from glassnet.engine.summary import summarise

QUANTITIES = ("W", "b", "z", "a", "delta", "grad_W")


@dataclass
class LayerProbe:
    """The tensors of one layer at one step, as the training path produced them."""

    id: str
    kind: str
    fn: ActivationFn
    W: Tensor
    b: Tensor
    x: Tensor  # the layer's input for the batch
    z: Tensor
    a: Tensor
    delta: Tensor | None
    grad_W: Tensor | None
    W_before: Tensor | None = None  # weights before the step's update, for the update ratio


def _flag(probe: LayerProbe) -> tuple[str | None, Tensor | None]:
    """Saturated units (sigmoid, tanh) or dead units (ReLU: zero for every example of the batch)."""
    saturated = probe.fn.saturated(probe.z, probe.a)
    if saturated is not None:
        return "frac_saturated", saturated
    if probe.fn.can_die:
        return "frac_dead", (probe.a <= 0).all(dim=0)
    return None, None


def _scalars(p: LayerProbe) -> Tensor:
    """[update_ratio, var_z_predicted, var_z_measured, ‖grad_W‖, rms δ] as one device row."""
    nan = torch.tensor(float("nan"), dtype=torch.float64, device=p.W.device)
    W = p.W.detach().to(torch.float64)
    if p.W_before is not None:
        before = p.W_before.to(torch.float64)
        update_ratio = (W - before).norm() / before.norm().clamp_min(1e-300)
    else:
        update_ratio = nan
    n_in = W[0].numel()
    # var(z) = n_in·var(W)·E[x²] for zero-mean weights and zero bias (E[x²] = var(x) when x is
    # centred, as after standardisation; for ReLU inputs E[x²] is what carries the signal).
    x = p.x.detach().to(torch.float64)
    predicted = n_in * W.var(correction=0) * (x * x).mean()
    measured = p.z.detach().to(torch.float64).var(correction=0)
    grad_norm = p.grad_W.detach().to(torch.float64).norm() if p.grad_W is not None else nan
    delta_rms = (
        p.delta.detach().to(torch.float64).pow(2).mean().sqrt() if p.delta is not None else nan
    )
    return torch.stack([update_ratio, predicted, measured, grad_norm, delta_rms])


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def summarise_layers(probes: Sequence[LayerProbe]) -> list[dict[str, object]]:
    """The `layers` list of a snapshot: one batched summary of every quantity of every layer."""
    if not probes:
        return []
    tensors: list[Tensor] = []
    flags: list[Tensor | None] = []
    flag_names: list[str | None] = []
    for p in probes:
        flag_name, flag = _flag(p)
        flag_names.append(flag_name)
        values = {"W": p.W, "b": p.b, "z": p.z, "a": p.a, "delta": p.delta, "grad_W": p.grad_W}
        for q in QUANTITIES:
            t = values[q]
            tensors.append(t if t is not None else p.W.new_full((1,), float("nan")))
            flags.append(flag if q in ("z", "a") else None)
    summaries = summarise(tensors, flags)
    # the scalars of every layer in one more transfer
    scalars = torch.stack([_scalars(p) for p in probes]).cpu().tolist()
    layers: list[dict[str, object]] = []
    per_layer = len(QUANTITIES)
    for i, p in enumerate(probes):
        entry: dict[str, object] = {
            "id": p.id,
            "kind": p.kind,
            "activation": p.fn.name,
            "n_in": int(p.W[0].numel()),
            "n_out": int(p.W.shape[0]),
            "saturation_zone": p.fn.saturation_zone(),
        }
        for j, q in enumerate(QUANTITIES):
            summary = summaries[i * per_layer + j]
            stats = summary["stats"]
            assert isinstance(stats, dict)
            flag = stats.pop("frac_flag", None)
            if flag_names[i] is not None:
                stats[flag_names[i]] = flag
            missing = (q == "delta" and p.delta is None) or (q == "grad_W" and p.grad_W is None)
            entry[q] = None if missing else summary
        update_ratio, predicted, measured, grad_norm, delta_rms = scalars[i]
        entry["update_ratio"] = _finite_or_none(update_ratio)
        entry["var_z_predicted"] = _finite_or_none(predicted)
        entry["var_z_measured"] = _finite_or_none(measured)
        entry["grad_W_norm"] = _finite_or_none(grad_norm)
        entry["delta_rms"] = _finite_or_none(delta_rms)
        layers.append(entry)
    return layers
