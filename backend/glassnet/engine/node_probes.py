"""Probes of the nodes without weights: batch norm, dropout, residual adds and activation nodes.

A weighted layer's probe (probes.py) holds W, z, a and δ; these nodes show what they do to the
values passing through them: batch norm its batch statistics, running statistics, γ and β beside
the values before and after; dropout the mask of the step; an add the branches meeting there and
the δ it sends back into each; an activation node z → a. Everything is taken on capture steps only
and summarised with the same batched summaries as the layers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from glassnet.engine.activations import ActivationFn, ActivationModule
from glassnet.engine.model import (
    CAPTURED_NODE_KINDS,
    Capture,
    Dropout,
    GraphModel,
    NodeCapture,
    ResidualAdd,
)
from glassnet.engine.summary import example_rows, summarise

MAX_CHANNELS = 64  # batch norm's per-feature lists
MASK_ROWS, MASK_COLS = 8, 64  # dropout: the first examples × their first units
CONNECT_ROWS, CONNECT_COLS = 64, 64  # DropConnect: the first units × their first inputs


@dataclass
class NodeProbe:
    """The tensors of one batchnorm, dropout, add or activation node at one step."""

    id: str
    kind: str
    inputs: list[str]
    units: int
    captured: NodeCapture | None  # None where the path keeps no node values (the lean paths)
    fn: ActivationFn | None = None  # activation nodes
    extra: dict[str, object] = field(default_factory=dict)  # kind-specific (see node_probes)


def mask_summary(mask: Tensor | None, p: float, rows: int, cols: int) -> dict[str, object] | None:
    """A DropMask of the snapshot from a boolean mask (True = kept): its first rows × columns
    (a mask of more than two dimensions as [first dimension, the rest])."""
    if mask is None:
        return None
    m = mask.detach().reshape(mask.shape[0], -1) if mask.dim() != 2 else mask.detach()
    shown = m[:rows, :cols]
    # one small transfer per mask, on capture steps only
    return {
        "drop_probability": p,
        "keep_probability": 1 - p,
        "kept_fraction": float(m.float().mean()) if m.numel() else 0.0,
        "full_shape": list(m.shape),
        "shape": list(shown.shape),
        "mask": shown.to("cpu", torch.int64).reshape(-1).tolist(),
    }


def _first(t: Tensor | None) -> Tensor | None:
    """The first MAX_CHANNELS values, copied (the parameters change in the step's update); None
    for what the node does not keep (running statistics with track_running_stats off)."""
    return None if t is None else t.detach()[:MAX_CHANNELS].clone()


def node_probes(model: GraphModel, capture: Capture | None) -> list[NodeProbe]:
    """Probes of the model's batchnorm, dropout, add and activation nodes for the pass `capture`
    recorded. Without a capture (the lean paths keep no node values) only dropout's mask."""
    probes: list[NodeProbe] = []
    shapes = model.info.shapes
    for nid in model.order:
        node = model.nodes[nid]
        if node.kind not in CAPTURED_NODE_KINDS:
            continue
        captured = capture.nodes.get(nid) if capture is not None else None
        block = model.block(nid)
        if captured is None and not isinstance(block, Dropout):
            continue
        probe = NodeProbe(
            id=nid,
            kind=node.kind,
            inputs=list(model.inputs_of[nid]),
            units=math.prod(shapes[nid]),
            captured=captured,
        )
        if isinstance(block, Dropout):
            probe.extra["mask"] = mask_summary(block.last_mask, block.p, MASK_ROWS, MASK_COLS)
            probe.extra["p"] = block.p
        elif isinstance(block, (nn.BatchNorm1d, nn.BatchNorm2d)):
            probe.extra.update(
                running_mean=_first(block.running_mean),
                running_var=_first(block.running_var),
                gamma=_first(block.weight),
                beta=_first(block.bias),
                eps=float(block.eps),
                momentum=None if block.momentum is None else float(block.momentum),
                channels=int(block.num_features),
            )
        elif isinstance(block, ActivationModule):
            probe.fn = block.fn
        elif node.kind == "add":
            survival = block.survival if isinstance(block, ResidualAdd) else None
            probe.extra["survival"] = survival
            probe.extra["kept"] = block.last_kept if isinstance(block, ResidualAdd) else None
        probes.append(probe)
    return probes


def _flag(fn: ActivationFn, z: Tensor, a: Tensor) -> tuple[str | None, Tensor | None]:
    """Saturated values (sigmoid, tanh) or dead units (zero for every example), as for layers."""
    saturated = fn.saturated(z, a)
    if saturated is not None:
        return "frac_saturated", saturated
    if fn.can_die:
        return "frac_dead", example_rows(a).amax(dim=0) <= 0
    return None, None


def _batch_stats(x: Tensor, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """μ_B and σ²_B (biased) per feature or channel (dim 1) and x̂, as batch norm computes them."""
    dims = [d for d in range(x.dim()) if d != 1]
    var, mean = torch.var_mean(x, dim=dims, correction=0)
    shape = [1, -1] + [1] * (x.dim() - 2)
    x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)
    return mean, var, x_hat


BN_LISTS = ("batch_mean", "batch_var", "running_mean", "running_var", "gamma", "beta")


def _bn_lists(
    probes: Sequence[NodeProbe], batch: dict[str, tuple[Tensor, Tensor]]
) -> dict[str, dict[str, list[float] | None]]:
    """Every batch-norm node's per-feature lists, moved to the host in one transfer (one sync on
    a GPU for all of them, instead of six per node)."""
    parts: list[Tensor] = []
    where: list[tuple[str, str, int]] = []
    for p in probes:
        if p.kind != "batchnorm":
            continue
        stats = batch.get(p.id)
        values = {
            "batch_mean": stats[0][:MAX_CHANNELS] if stats else None,
            "batch_var": stats[1][:MAX_CHANNELS] if stats else None,
            **{k: p.extra[k] for k in BN_LISTS[2:]},
        }
        for name in BN_LISTS:
            t = values[name]
            if isinstance(t, Tensor):
                parts.append(t.detach().to(torch.float64).reshape(-1))
                where.append((p.id, name, t.numel()))
    out: dict[str, dict[str, list[float] | None]] = {}
    flat = torch.cat(parts).cpu().tolist() if parts else []
    at = 0
    for nid, name, n in where:
        out.setdefault(nid, dict.fromkeys(BN_LISTS))[name] = flat[at : at + n]
        at += n
    return out


def summarise_nodes(probes: Sequence[NodeProbe]) -> list[dict[str, object]]:
    """The `nodes` list of a snapshot: one batched summary of every node's tensors."""
    tensors: list[Tensor] = []
    flags: list[Tensor | None] = []
    full: list[bool] = []
    slots: list[dict[str, object]] = []

    def add(t: Tensor | None, flag: Tensor | None = None, whole: bool = True) -> int | None:
        if t is None:
            return None
        tensors.append(t)
        flags.append(flag)
        full.append(whole)
        return len(tensors) - 1

    batch: dict[str, tuple[Tensor, Tensor]] = {}
    for p in probes:
        c = p.captured
        slot: dict[str, object] = {}
        if c is not None:
            x = c.inputs[0] if len(c.inputs) == 1 else None
            flag = None
            if p.fn is not None and x is not None:
                slot["flag"], flag = _flag(p.fn, x, c.y)
            slot["x"] = add(x, flag)
            slot["y"] = add(c.y, flag)
            if p.kind == "batchnorm" and x is not None:
                mean, var, x_hat = _batch_stats(x.to(torch.float64), float(p.extra["eps"]))  # type: ignore[arg-type]
                batch[p.id] = (mean, var)
                slot["x_hat"] = add(x_hat)
            # activation nodes report δ = ∂L/∂z (what they send into z), the others δ at y
            delta = c.input_deltas[0] if p.kind == "activation" and c.input_deltas else c.delta
            slot["delta"] = add(delta)
            slot["branch_values"] = [add(v) if len(c.inputs) > 1 else None for v in c.inputs]
            slot["branch_deltas"] = [add(d, whole=False) for d in c.input_deltas]
        slots.append(slot)
    summaries = summarise(tensors, flags, full) if tensors else []

    def quantity(index: object, flag_name: object = None) -> dict[str, object] | None:
        if not isinstance(index, int):
            return None
        summary = summaries[index]
        stats = summary["stats"]
        assert isinstance(stats, dict)
        value = stats.pop("frac_flag", None)
        if isinstance(flag_name, str):
            stats[flag_name] = value
        return summary

    bn_lists = _bn_lists(probes, batch)
    nodes: list[dict[str, object]] = []
    for p, slot in zip(probes, slots, strict=True):
        c = p.captured
        entry: dict[str, object] = {
            "id": p.id,
            "kind": p.kind,
            "inputs": p.inputs,
            "units": p.units,
            "activation": p.fn.name if p.fn is not None else None,
            "saturation_zone": p.fn.saturation_zone() if p.fn is not None else None,
            "x": quantity(slot.get("x"), slot.get("flag")),
            "x_hat": quantity(slot.get("x_hat")),
            "y": quantity(slot.get("y"), slot.get("flag")),
            "delta": quantity(slot.get("delta")),
        }
        branches: list[dict[str, object]] = []
        entry["branches"] = branches
        if c is not None:
            values = slot["branch_values"]
            deltas = slot["branch_deltas"]
            assert isinstance(values, list) and isinstance(deltas, list)
            for k, source in enumerate(p.inputs):
                d = quantity(deltas[k]) if k < len(deltas) else None
                rms = d["stats"]["rms"] if d is not None else None  # type: ignore[index]
                branches.append({"id": source, "value": quantity(values[k]), "delta_rms": rms})
        if p.kind == "batchnorm":
            entry["batchnorm"] = {
                "channels": p.extra["channels"],
                "eps": p.extra["eps"],
                "momentum": p.extra["momentum"],
                **bn_lists.get(p.id, dict.fromkeys(BN_LISTS)),
            }
        if p.kind == "dropout":
            entry["mask"] = p.extra.get("mask")
        if p.kind == "add":
            entry["kept"] = p.extra.get("kept")
            entry["survival_probability"] = p.extra.get("survival")
        nodes.append(entry)
    return nodes
