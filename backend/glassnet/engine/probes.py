"""Per-layer probes: W, b, z, a, δ and ∂L/∂W summarised, with the variance prediction beside them.

The rows of every layer are stacked and moved to the host once (`summary.to_host`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn
from glassnet.engine.summary import decode_row, summary_row, to_host

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
    return value if value == value and abs(value) != float("inf") else None


def summarise_layers(probes: Sequence[LayerProbe]) -> list[dict[str, object]]:
    """The `layers` list of a snapshot."""
    rows: list[Tensor] = []
    flags: list[str | None] = []
    for p in probes:
        flag_name, flag = _flag(p)
        flags.append(flag_name)
        tensors = {"W": p.W, "b": p.b, "z": p.z, "a": p.a, "delta": p.delta, "grad_W": p.grad_W}
        for q in QUANTITIES:
            t = tensors[q]
            if t is None:
                t = torch.full((1,), float("nan"), dtype=torch.float64, device=p.W.device)
            rows.append(summary_row(t, flag if q in ("z", "a") else None))
        rows.append(torch.nn.functional.pad(_scalars(p), (0, rows[-1].numel() - 5)))
    host = to_host(rows)
    per_layer = len(QUANTITIES) + 1
    layers: list[dict[str, object]] = []
    for i, p in enumerate(probes):
        block = host[i * per_layer : (i + 1) * per_layer]
        entry: dict[str, object] = {
            "id": p.id,
            "kind": p.kind,
            "activation": p.fn.name,
            "n_in": int(p.W[0].numel()),
            "n_out": int(p.W.shape[0]),
            "saturation_zone": p.fn.saturation_zone(),
        }
        for q, row in zip(QUANTITIES, block, strict=False):
            flag_name = flags[i] if q in ("z", "a") else None
            missing = (q == "delta" and p.delta is None) or (q == "grad_W" and p.grad_W is None)
            entry[q] = None if missing else decode_row(row, flag_name).as_dict()
        update_ratio, predicted, measured, grad_norm, delta_rms = block[-1][:5]
        entry["update_ratio"] = _finite_or_none(update_ratio)
        entry["var_z_predicted"] = _finite_or_none(predicted)
        entry["var_z_measured"] = _finite_or_none(measured)
        entry["grad_W_norm"] = _finite_or_none(grad_norm)
        entry["delta_rms"] = _finite_or_none(delta_rms)
        layers.append(entry)
    return layers
