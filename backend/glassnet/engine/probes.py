"""Per-layer probes: W, b, z, a, δ and ∂L/∂W summarised, with the variance prediction beside them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn
from glassnet.engine.summary import SAMPLE_CAP, example_rows, sample, summarise

if TYPE_CHECKING:
    from glassnet.engine.model import Layer

QUANTITIES = ("W", "b", "z", "a", "delta", "grad_W")
MAX_EDGE_VALUES = 1024  # dense layers with at most this many weights send each of them


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
    W_before: Tensor | None = None  # W before the step's update (`weights_before`)
    drop_connect: dict[str, object] | None = None  # the step's DropConnect mask, summarised


def weights_before(W: Tensor) -> Tensor:
    """What a probe keeps of W before the optimiser updates it in place, for the update ratio:
    a copy of W, or of its sample when it has more than SAMPLE_CAP values (all the ratio reads:
    `summarise_layers` samples W the same way), instead of copying a big matrix every frame."""
    if W.numel() <= SAMPLE_CAP:
        return W.detach().clone()
    return sample(W)  # index_select: already a copy


def layer_probe(
    layer: Layer,
    x: Tensor,
    z: Tensor,
    a: Tensor,
    delta: Tensor | None = None,
    grad_W: Tensor | None = None,
    drop_connect: dict[str, object] | None = None,
) -> LayerProbe:
    """The probe of `layer` with its current weights (detached) and the step's tensors."""
    return LayerProbe(
        id=layer.id,
        kind=layer.kind,
        fn=layer.fn,
        W=layer.weight.detach(),
        b=layer.bias.detach(),
        x=x,
        z=z,
        a=a,
        delta=delta,
        grad_W=grad_W,
        drop_connect=drop_connect,
    )


Extremes = dict[str, tuple[Tensor, Tensor]]


def _flag(probe: LayerProbe) -> tuple[str | None, Tensor | None, Extremes]:
    """Saturated units (sigmoid, tanh) or dead units (ReLU: zero for every example of the batch),
    and the exact (min, max) of z and a when working out the flag gave them for free."""
    saturated = probe.fn.saturated(probe.z, probe.a)
    if saturated is not None:
        return "frac_saturated", saturated, {}
    if probe.fn.name == "relu":
        # a = max(z, 0) exactly, on every path: each unit's extremes of z over the batch give
        # the dead units (max z ≤ 0, NaN counting as alive as it does in a ≤ 0) and z's and a's
        # extremes, in two passes over z instead of five over z and a
        per_unit = example_rows(probe.z)
        lo, hi = per_unit.amin(dim=0), per_unit.amax(dim=0)
        z_lo, z_hi = lo.amin(), hi.amax()
        return "frac_dead", hi <= 0, {"z": (z_lo, z_hi), "a": (z_lo.relu(), z_hi.relu())}
    if probe.fn.can_die:
        # max over the batch ≤ 0 ⇔ every a ≤ 0 (NaN propagates through amax and counts as alive,
        # as it does in a ≤ 0); measured ~10× faster than (a <= 0).all(dim=0) on conv maps
        return "frac_dead", example_rows(probe.a).amax(dim=0) <= 0, {}
    return None, None, {}


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _small_layer_values(p: LayerProbe) -> dict[str, object]:
    """Every weight and each unit's mean activation, for dense layers small enough to draw edge
    by edge (the network diagram colours each edge by its weight, like TensorFlow Playground)."""
    if p.kind != "dense" or p.W.numel() > MAX_EDGE_VALUES:
        return {}
    # one small transfer per layer; only playground-size layers get here
    return {
        "W_values": p.W.detach().to("cpu", torch.float64).reshape(-1).tolist(),
        # a dense layer on a sequence [B, T, units] averages over the steps as well
        "a_mean": p.a.detach()
        .to("cpu", torch.float64)
        .reshape(-1, p.a.shape[-1])
        .mean(dim=0)
        .tolist(),
    }


def _stat(summary: dict[str, object] | None, name: str) -> float:
    if summary is None:
        return math.nan
    stats = summary["stats"]
    assert isinstance(stats, dict)
    value = stats[name]
    return math.nan if value is None else float(value)


# Tensors summarised for each layer beyond the reported quantities: only their moments, for the
# derived scalars.
EXTRA = ("x", "W_before", "dW")


def summarise_layers(probes: Sequence[LayerProbe]) -> list[dict[str, object]]:
    """The `layers` list of a snapshot: one batched summary of every quantity of every layer.

    The layer's scalars come from the same batch: var(z) = n_in·var(W)·E[x²] is predicted from the
    summaries of W and of the layer's input x (zero-mean weights, zero bias; E[x²] = var(x) for
    centred inputs, and for ReLU inputs E[x²] is what carries the signal), the update ratio
    ‖ΔW‖/‖W‖ from the summaries of W before the step and of ΔW.
    """
    if not probes:
        return []
    tensors: list[Tensor] = []
    flags: list[Tensor | None] = []
    extremes: list[tuple[Tensor, Tensor] | None] = []
    flag_names: list[str | None] = []
    for p in probes:
        flag_name, flag, known = _flag(p)
        flag_names.append(flag_name)
        # W before the step and ΔW are only needed for their RMS, which is taken from their
        # sample anyway: subtracting the samples gives the same values as sampling W − W_before,
        # without a pass over the whole weight matrix
        w_before = sample(p.W_before) if p.W_before is not None else None
        d_w = sample(p.W) - w_before if w_before is not None else None
        values = {
            "W": p.W,
            "b": p.b,
            "z": p.z,
            "a": p.a,
            "delta": p.delta,
            "grad_W": p.grad_W,
            "x": p.x,
            "W_before": w_before,
            "dW": d_w,
        }
        for q in (*QUANTITIES, *EXTRA):
            t = values[q]
            tensors.append(t if t is not None else p.W.new_full((1,), float("nan")))
            flags.append(flag if q in ("z", "a") else None)
            extremes.append(known.get(q))
    full = [q in QUANTITIES for _ in probes for q in (*QUANTITIES, *EXTRA)]
    summaries = summarise(tensors, flags, full, extremes)
    layers: list[dict[str, object]] = []
    per_layer = len(QUANTITIES) + len(EXTRA)
    for i, p in enumerate(probes):
        block = dict(
            zip((*QUANTITIES, *EXTRA), summaries[i * per_layer : (i + 1) * per_layer], strict=True)
        )
        n_in = int(p.W[0].numel())
        entry: dict[str, object] = {
            "id": p.id,
            "kind": p.kind,
            "activation": p.fn.name,
            "n_in": n_in,
            "n_out": int(p.W.shape[0]),
            "saturation_zone": p.fn.saturation_zone(),
        }
        present = {"delta": p.delta is not None, "grad_W": p.grad_W is not None}
        for q in QUANTITIES:
            summary = block[q]
            stats = summary["stats"]
            assert isinstance(stats, dict)
            flag = stats.pop("frac_flag", None)
            if flag_names[i] is not None:
                stats[flag_names[i]] = flag
            entry[q] = summary if present.get(q, True) else None
        grad = block["grad_W"] if present["grad_W"] else None
        before = block["W_before"] if p.W_before is not None else None
        entry["update_ratio"] = _finite_or_none(
            _stat(block["dW"] if before else None, "rms") / _stat(before, "rms")
            if before and _stat(before, "rms") > 0
            else math.nan
        )
        entry["var_z_predicted"] = _finite_or_none(
            n_in * _stat(block["W"], "std") ** 2 * _stat(block["x"], "rms") ** 2
        )
        entry["var_z_measured"] = _finite_or_none(_stat(block["z"], "std") ** 2)
        entry["grad_W_norm"] = _finite_or_none(_stat(grad, "rms") * math.sqrt(p.W.numel()))
        entry["delta_rms"] = _finite_or_none(
            _stat(block["delta"], "rms") if present["delta"] else math.nan
        )
        entry.update(_small_layer_values(p))
        if p.drop_connect is not None:
            entry["drop_connect"] = p.drop_connect
        layers.append(entry)
    return layers
