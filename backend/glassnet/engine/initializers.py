"""Weight initialisers, written with the lecture's formulas so the numbers can be checked by hand.

Weights are always drawn on the CPU from the run's own generator and then moved, so a seed gives the
same network on every device and however many runs share the process.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from shared_schemas.runspec import RELU_FAMILY, ActivationSpec, InitSpec


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a dense [out, in] or conv [out, in, kh, kw] weight."""
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def default_init(activation: ActivationSpec) -> InitSpec:
    """He (normal, fan_in) for the ReLU family, Xavier/Glorot (uniform, fan_avg) otherwise."""
    if activation.kind in RELU_FAMILY:
        return InitSpec(scheme="he_normal", mode="fan_in")
    return InitSpec(scheme="xavier_uniform", mode="fan_avg")


def init_std(init: InitSpec, shape: tuple[int, ...]) -> float:
    """Standard deviation the scheme aims for (what the initialisation lecture tabulates)."""
    fan_in, fan_out = fans(shape)
    scheme = init.scheme
    if scheme in ("zeros", "constant"):
        return 0.0
    if scheme == "uniform":
        return (init.high - init.low) / math.sqrt(12)
    if scheme == "normal":
        return init.std
    if scheme.startswith("xavier"):
        var = 2.0 / (fan_in + fan_out) if init.mode == "fan_avg" else 1.0 / fan_in
    elif scheme.startswith("he"):
        var = 2.0 / (fan_out if init.mode == "fan_out" else fan_in)
    elif scheme.startswith("lecun"):
        var = 1.0 / fan_in
    elif scheme == "orthogonal":
        return init.gain / math.sqrt(max(fan_in, fan_out))
    else:
        raise ValueError(f"unknown init scheme {scheme!r}")
    return math.sqrt(var)


def init_weight(
    init: InitSpec, shape: tuple[int, ...], generator: torch.Generator, dtype: torch.dtype
) -> Tensor:
    """A freshly initialised weight tensor on the CPU."""
    w = torch.empty(shape, dtype=dtype)
    scheme = init.scheme
    if scheme == "zeros":
        return w.zero_()
    if scheme == "constant":
        return w.fill_(init.value)
    if scheme == "uniform":
        return w.uniform_(init.low, init.high, generator=generator)
    if scheme == "normal":
        return w.normal_(init.mean, init.std, generator=generator)
    if scheme == "orthogonal":
        return torch.nn.init.orthogonal_(w, gain=init.gain, generator=generator)
    std = init_std(init, shape)
    if scheme.endswith("_uniform"):
        bound = math.sqrt(3.0) * std  # U(−b, b) has std b/√3
        return w.uniform_(-bound, bound, generator=generator)
    return w.normal_(0.0, std, generator=generator)
