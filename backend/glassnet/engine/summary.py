"""Fixed-size summaries of many tensors at once, computed on their device.

A snapshot summarises every quantity of every layer (W, b, z, a, δ, ∂L/∂W). Doing that tensor by
tensor costs ~25 small operations each; instead all tensors are concatenated into one vector with a
segment id per element, and every statistic and histogram is one segmented reduction (bincount /
scatter_reduce) over it: about 30 operations per snapshot however many layers, then one transfer
to the host. Tensors above SAMPLE_CAP values are summarised from a fixed random sample, so a
snapshot costs the same for a 784-256-256-10 MLP as for a playground net; their min, max and
non-finite fraction are still taken over every value. Nothing here runs unless a snapshot is due.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import torch
from torch import Tensor

SAMPLE_CAP = 1024
HIST_BINS = 32
LOG_LO, LOG_HI = -12.0, 4.0  # log10|x| edges shared by every histogram, so layers compare directly
LOG_BINS = 32
_STATS = ("mean", "std", "rms", "min", "max", "frac_zero", "frac_nonfinite", "frac_flag")


@functools.lru_cache(maxsize=256)
def _sample_index(numel: int, device: str) -> Tensor:
    """A fixed random subset of SAMPLE_CAP positions for tensors of this size.

    Random, not strided: a stride can line up with a row length and sample only a few columns
    (units) of a [batch, units] tensor. Seeded by the size, so snapshots are reproducible and no
    run's own generators are touched.
    """
    generator = torch.Generator().manual_seed(numel)
    index = torch.randperm(numel, generator=generator)[:SAMPLE_CAP].sort().values
    return index.to(device)


def _sample(v: Tensor) -> Tensor:
    """The tensor flattened, or a fixed random sample of SAMPLE_CAP of its values."""
    flat = v.detach().reshape(-1)
    if flat.numel() <= SAMPLE_CAP:
        return flat
    return flat[_sample_index(flat.numel(), str(flat.device))]


def _segmented(values: Sequence[Tensor]) -> tuple[Tensor, Tensor, Tensor]:
    """(concatenated float64 values, segment id per element, element count per segment)."""
    device = values[0].device
    flat = [_sample(v) for v in values]
    sizes = torch.tensor([f.numel() for f in flat], device=device)
    seg = torch.repeat_interleave(torch.arange(len(flat), device=device), sizes)
    # one conversion for the whole batch (torch.cat promotes mixed dtypes, e.g. bool flags)
    return torch.cat(flat).to(torch.float64), seg, sizes.to(torch.float64)


def _per_segment(seg: Tensor, weights: Tensor, n: int) -> Tensor:
    return torch.bincount(seg, weights=weights, minlength=n)


def _exact_extremes(
    tensors: Sequence[Tensor], exact: Sequence[bool], lo: Tensor, hi: Tensor, nonfinite: Tensor
) -> None:
    """Overwrite the sampled tensors' min, max and non-finite fraction with exact values."""
    for i, t in enumerate(tensors):
        if t.numel() <= SAMPLE_CAP or not exact[i]:
            continue
        flat = t.detach().reshape(-1)
        t_lo, t_hi = torch.aminmax(flat)
        if not bool(torch.isfinite(t_lo) & torch.isfinite(t_hi)):
            # NaN propagates through aminmax: only then pay for a finite mask
            finite = torch.isfinite(flat)
            nonfinite[i] = 1 - finite.sum().to(torch.float64) / flat.numel()
            if not bool(finite.any()):
                continue
            t_lo, t_hi = torch.aminmax(flat[finite])
        else:
            nonfinite[i] = 0.0
        lo[i], hi[i] = t_lo.to(torch.float64), t_hi.to(torch.float64)


def summarise(
    tensors: Sequence[Tensor],
    flags: Sequence[Tensor | None],
    exact: Sequence[bool] | None = None,
) -> list[dict[str, object]]:
    """Summaries in the snapshot layout: {stats, hist, loghist} for each tensor.

    `flags[i]` is a boolean mask whose mean is reported as stats.frac_flag (saturated or dead
    units), or None. Statistics ignore non-finite values and report how many there were.
    `exact[i]` False skips the full pass for min and max of a sampled tensor (for tensors only
    used for their mean or spread).
    """
    if not tensors:
        return []
    n = len(tensors)
    x, seg, sizes = _segmented(tensors)
    device = x.device
    finite = torch.isfinite(x)
    xf = torch.where(finite, x, torch.zeros_like(x))
    count = _per_segment(seg, finite.to(torch.float64), n)
    safe = count.clamp_min(1)
    mean = _per_segment(seg, xf, n) / safe
    centred = torch.where(finite, x - mean[seg], torch.zeros_like(x))
    std = (_per_segment(seg, centred * centred, n) / safe).sqrt()
    rms = (_per_segment(seg, xf * xf, n) / safe).sqrt()
    inf = torch.full((n,), float("inf"), dtype=torch.float64, device=device)
    lo = inf.scatter_reduce(0, seg, torch.where(finite, x, inf[seg]), "amin", include_self=True)
    hi = (-inf).scatter_reduce(0, seg, torch.where(finite, x, -inf[seg]), "amax", include_self=True)
    zeros = _per_segment(seg, (x == 0).to(torch.float64), n)
    nonfinite = (sizes - count) / sizes
    _exact_extremes(tensors, exact or [True] * n, lo, hi, nonfinite)

    # linear histogram over each segment's [min, max]; a constant segment lands in the middle bin
    span = hi - lo
    pad = torch.where(span > 0, torch.zeros_like(span), torch.full_like(span, 0.5))
    has = count > 0
    lo_p = torch.where(has, lo - pad, torch.zeros_like(lo))
    hi_p = torch.where(has, hi + pad, torch.ones_like(hi))
    scale = HIST_BINS / (hi_p - lo_p)
    bins = ((xf - lo_p[seg]) * scale[seg]).long().clamp(0, HIST_BINS - 1)
    hist = torch.bincount((seg * HIST_BINS + bins)[finite], minlength=n * HIST_BINS)

    # log10|x| histogram with fixed edges, zeros counted apart
    nonzero = finite & (x != 0)
    logs = torch.log10(torch.where(nonzero, x.abs(), torch.ones_like(x)))
    lbins = ((logs.clamp(LOG_LO, LOG_HI - 1e-9) - LOG_LO) * (LOG_BINS / (LOG_HI - LOG_LO))).long()
    loghist = torch.bincount((seg * LOG_BINS + lbins)[nonzero], minlength=n * LOG_BINS)

    flag_frac = torch.full((n,), float("nan"), dtype=torch.float64, device=device)
    present = [(i, f) for i, f in enumerate(flags) if f is not None and f.numel()]
    if present:
        fvals, fseg, fsizes = _segmented([f for _, f in present])
        fmeans = _per_segment(fseg, fvals, len(present)) / fsizes
        flag_frac[torch.tensor([i for i, _ in present], device=device)] = fmeans

    floats = torch.stack(
        [mean, std, rms, lo, hi, zeros / sizes, nonfinite, flag_frac, lo_p, hi_p, sizes], dim=1
    )
    counts = torch.cat(
        [hist.reshape(n, HIST_BINS), loghist.reshape(n, LOG_BINS), zeros[:, None].long()], 1
    )
    # the device → host transfer of a snapshot's summaries (a sync point on CUDA)
    float_rows, count_rows = floats.cpu().tolist(), counts.cpu().tolist()
    return [
        _decode(f, c, flags[i] is not None, tensors[i].numel())
        for i, (f, c) in enumerate(zip(float_rows, count_rows, strict=True))
    ]


def _decode(f: list[float], c: list[int], has_flag: bool, numel: int) -> dict[str, object]:
    empty = f[6] >= 1.0
    stats: dict[str, float | int | None] = {
        name: (None if empty and k < 5 else f[k]) for k, name in enumerate(_STATS[:7])
    }
    if has_flag:
        stats["frac_flag"] = f[7]
    stats["n"] = numel
    stats["sampled"] = int(f[10])
    return {
        "stats": stats,
        "hist": {"lo": f[8], "hi": f[9], "counts": c[:HIST_BINS]},
        "loghist": {
            "lo": LOG_LO,
            "hi": LOG_HI,
            "counts": c[HIST_BINS : HIST_BINS + LOG_BINS],
            "zeros": c[-1],
        },
    }
