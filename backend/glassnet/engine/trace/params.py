"""Initial W and b of a traced layer: the node's own `weights`/`bias`, else its initialiser."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from glassnet.engine.trace.errors import TraceError


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def init_weights(
    init: dict[str, Any] | None, shape: tuple[int, ...], gen: torch.Generator, dtype: torch.dtype
) -> Tensor:
    """A weight tensor of `shape` ([out, in] or [out_ch, in_ch, kh, kw]) drawn from `init`."""
    init = dict(init or {"scheme": "xavier_uniform"})
    scheme = init.get("scheme", "xavier_uniform")
    fan_in, fan_out = _fans(shape)
    fan_avg = (fan_in + fan_out) / 2
    fan = fan_in if init.get("mode", "fan_avg" if scheme.startswith("xavier") else "fan_in") == (
        "fan_in"
    ) else fan_avg
    w = torch.empty(shape, dtype=torch.float64)
    if scheme == "zeros":
        w.zero_()
    elif scheme == "constant":
        w.fill_(float(init.get("value", 0.0)))
    elif scheme == "uniform":
        w.uniform_(float(init.get("low", -0.05)), float(init.get("high", 0.05)), generator=gen)
    elif scheme == "normal":
        w.normal_(float(init.get("mean", 0.0)), float(init.get("std", 0.01)), generator=gen)
    elif scheme in ("xavier_normal", "lecun_normal", "he_normal"):
        scale = 2.0 if scheme == "he_normal" else 1.0
        if scheme == "lecun_normal":
            fan = fan_in
        w.normal_(0.0, math.sqrt(scale / fan), generator=gen)
    elif scheme in ("xavier_uniform", "he_uniform"):
        scale = 2.0 if scheme == "he_uniform" else 1.0
        limit = math.sqrt(3.0 * scale / fan)
        w.uniform_(-limit, limit, generator=gen)
    elif scheme == "orthogonal":
        flat = torch.empty((shape[0], math.prod(shape[1:])), dtype=torch.float64)
        flat.normal_(0.0, 1.0, generator=gen)
        q, r = torch.linalg.qr(flat.T if flat.shape[0] < flat.shape[1] else flat)
        q = q * torch.sign(torch.diagonal(r))
        q = q.T if flat.shape[0] < flat.shape[1] else q
        w = float(init.get("gain", 1.0)) * q.reshape(shape)
    else:
        raise TraceError(f"unknown initialiser {scheme!r}")
    return w.to(dtype)


def layer_parameters(
    node: dict[str, Any],
    shape: tuple[int, ...],
    gen: torch.Generator,
    dtype: torch.dtype,
    pointer: str,
) -> tuple[Tensor, Tensor]:
    """W of `shape` and b of `shape[0]` for one weighted node."""
    if node.get("weights") is not None:
        w = torch.tensor(node["weights"], dtype=dtype)
        if tuple(w.shape) != shape:
            raise TraceError(
                f"node {node.get('id')!r}: weights have shape {list(w.shape)} but the layer needs "
                f"{list(shape)} ([out][in], conv [out_ch][in_ch][kh][kw])",
                f"{pointer}/weights",
            )
    else:
        w = init_weights(node.get("init"), shape, gen, dtype)
    if node.get("bias") is not None:
        b = torch.tensor(node["bias"], dtype=dtype)
        if tuple(b.shape) != (shape[0],):
            raise TraceError(
                f"node {node.get('id')!r}: bias has {list(b.shape)} entries but the layer has "
                f"{shape[0]} outputs",
                f"{pointer}/bias",
            )
    else:
        bias_init = node.get("bias_init", 0.0)
        value = float(bias_init if isinstance(bias_init, int | float) else 0.0)
        b = torch.full((shape[0],), value, dtype=dtype)
    return w, b
