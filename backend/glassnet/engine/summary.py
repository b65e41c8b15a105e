"""Fixed-size summaries of many tensors at once, computed on their device.

A snapshot summarises every quantity of every layer (W, b, z, a, δ, ∂L/∂W). Doing that tensor by
tensor costs ~25 small operations each; instead all tensors are concatenated into one vector with a
segment id per element, and every statistic and histogram is one segmented reduction (bincount /
scatter_reduce) over it: about 30 operations per snapshot however many layers, then one transfer
to the host (`summarise` ends with a single `.cpu()`). Nothing here runs unless a snapshot is due.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

HIST_BINS = 32
LOG_LO, LOG_HI = -12.0, 4.0  # log10|x| edges shared by every histogram, so layers compare directly
LOG_BINS = 32


def _segmented(values: list[Tensor]) -> tuple[Tensor, Tensor, Tensor]:
    """(concatenated float64 values, segment id per element, element count per segment)."""
    device = values[0].device
    flat = [v.detach().reshape(-1).to(torch.float64) for v in values]
    sizes = torch.tensor([f.numel() for f in flat], device=device)
    seg = torch.repeat_interleave(torch.arange(len(flat), device=device), sizes)
    return torch.cat(flat), seg, sizes.to(torch.float64)


def _per_segment(seg: Tensor, weights: Tensor, n: int) -> Tensor:
    return torch.bincount(seg, weights=weights, minlength=n)


def summarise(tensors: Sequence[Tensor], flags: Sequence[Tensor | None]) -> list[dict[str, object]]:
    """Summaries in the snapshot layout: {stats, hist, loghist} for each tensor.

    `flags[i]` is a boolean mask whose mean is reported as stats.frac_flag (saturated or dead
    units), or None. Statistics ignore non-finite values and report how many there were.
    """
    if not tensors:
        return []
    n = len(tensors)
    x, seg, sizes = _segmented(list(tensors))
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
    is_zero = (x == 0).to(torch.float64)
    zeros = _per_segment(seg, is_zero, n)
    nonfinite = sizes - count

    # linear histogram over each segment's [min, max]; a constant segment lands in the middle bin
    span = hi - lo
    pad = torch.where(span > 0, torch.zeros_like(span), torch.full_like(span, 0.5))
    lo_p, hi_p = torch.where(count > 0, lo - pad, 0.0), torch.where(count > 0, hi + pad, 1.0)
    scale = HIST_BINS / (hi_p - lo_p)
    bins = ((xf - lo_p[seg]) * scale[seg]).long().clamp(0, HIST_BINS - 1)
    cells = (seg * HIST_BINS + bins)[finite]
    hist = torch.bincount(cells, minlength=n * HIST_BINS).reshape(n, HIST_BINS)

    # log10|x| histogram with fixed edges, zeros counted apart
    nonzero = finite & (x != 0)
    logs = torch.log10(torch.where(nonzero, x.abs(), torch.ones_like(x)))
    lbins = ((logs.clamp(LOG_LO, LOG_HI - 1e-9) - LOG_LO) * (LOG_BINS / (LOG_HI - LOG_LO))).long()
    lcells = (seg * LOG_BINS + lbins)[nonzero]
    loghist = torch.bincount(lcells, minlength=n * LOG_BINS).reshape(n, LOG_BINS)

    flag_frac = torch.full((n,), float("nan"), dtype=torch.float64, device=device)
    present = [(i, f) for i, f in enumerate(flags) if f is not None and f.numel()]
    if present:
        fvals, fseg, fsizes = _segmented([f for _, f in present])
        fmeans = _per_segment(fseg, fvals, len(present)) / fsizes
        flag_frac[torch.tensor([i for i, _ in present], device=device)] = fmeans

    table = torch.cat(
        [
            torch.stack([mean, std, rms, lo, hi, zeros / sizes, nonfinite / sizes, flag_frac], 1),
            torch.stack([lo_p, hi_p, zeros], 1),
            hist.to(torch.float64),
            loghist.to(torch.float64),
        ],
        dim=1,
    )
    # the one device → host transfer of a snapshot's summaries (a sync point on CUDA)
    rows = table.cpu().tolist()
    return [_decode(row, flags[i] is not None) for i, row in enumerate(rows)]


def _decode(row: list[float], has_flag: bool) -> dict[str, object]:
    mean, std, rms, lo, hi, frac_zero, frac_nonfinite, frac_flag, lo_p, hi_p, zeros = row[:11]
    empty = frac_nonfinite >= 1.0
    stats: dict[str, float | None] = {
        "mean": None if empty else mean,
        "std": None if empty else std,
        "rms": None if empty else rms,
        "min": None if empty else lo,
        "max": None if empty else hi,
        "frac_zero": frac_zero,
        "frac_nonfinite": frac_nonfinite,
    }
    if has_flag:
        stats["frac_flag"] = frac_flag
    counts = [int(c) for c in row[11 : 11 + HIST_BINS]]
    logcounts = [int(c) for c in row[11 + HIST_BINS :]]
    return {
        "stats": stats,
        "hist": {"lo": lo_p, "hi": hi_p, "counts": counts},
        "loghist": {"lo": LOG_LO, "hi": LOG_HI, "counts": logcounts, "zeros": int(zeros)},
    }
