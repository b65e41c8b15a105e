"""Fixed-size summaries of a tensor, computed on its device: statistics and two histograms.

A snapshot summarises every quantity of every layer with the same few operations, then moves all of
it to the host in one transfer (`to_host`). Nothing here runs unless a snapshot is due.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

HIST_BINS = 32
LOG_LO, LOG_HI = -12.0, 4.0  # log10|x| edges shared by every histogram, so layers compare directly
LOG_BINS = 32
STAT_NAMES = ("mean", "std", "rms", "min", "max", "frac_zero", "frac_nonfinite", "frac_flag")
_ROW = len(STAT_NAMES) + HIST_BINS + LOG_BINS + 1  # stats, linear counts, log counts, zeros


def summary_row(x: Tensor, flag: Tensor | None = None) -> Tensor:
    """One flat float64 row: statistics, linear histogram over [min, max], log10|x| histogram.

    `flag` is a boolean mask whose mean is reported as frac_flag (saturated or dead units), or None.
    """
    x = x.detach().reshape(-1)
    n = max(x.numel(), 1)
    finite_mask = torch.isfinite(x)
    xf = x[finite_mask].to(torch.float64)
    row = torch.zeros(_ROW, dtype=torch.float64, device=x.device)
    if xf.numel():
        lo, hi = xf.min(), xf.max()
        mean = xf.mean()
        row[0] = mean
        row[1] = xf.std(correction=0)
        row[2] = (xf * xf).mean().sqrt()
        row[3], row[4] = lo, hi
        span = hi - lo
        # histc needs a non-empty range; a constant tensor lands in the middle bin
        pad = torch.where(span > 0, torch.zeros_like(span), torch.ones_like(span) * 0.5)
        row[8 : 8 + HIST_BINS] = _linear_counts(xf, lo - pad, hi + pad)
        nonzero = xf[xf != 0]
        logs = torch.log10(nonzero.abs()).clamp(LOG_LO, LOG_HI - 1e-9)
        idx = ((logs - LOG_LO) * (LOG_BINS / (LOG_HI - LOG_LO))).long()
        row[8 + HIST_BINS : 8 + HIST_BINS + LOG_BINS] = torch.bincount(idx, minlength=LOG_BINS).to(
            torch.float64
        )
        row[-1] = xf.numel() - nonzero.numel()
    row[5] = (x == 0).sum() / n
    row[6] = (~finite_mask).sum() / n
    row[7] = flag.to(torch.float64).mean() if flag is not None and flag.numel() else float("nan")
    return row


def _linear_counts(x: Tensor, lo: Tensor, hi: Tensor) -> Tensor:
    """Counts over [lo, hi] in HIST_BINS bins; unlike torch.histc, lo and hi stay on the device
    (histc wants Python floats, and each float() is a sync on CUDA)."""
    scale = HIST_BINS / (hi - lo)
    idx = ((x - lo) * scale).long().clamp(0, HIST_BINS - 1)
    return torch.bincount(idx, minlength=HIST_BINS).to(torch.float64)


@dataclass
class Summary:
    """A host-side summary of one quantity, in the DESIGN.md snapshot layout."""

    stats: dict[str, float | None]
    hist: dict[str, object]
    loghist: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        return {"stats": self.stats, "hist": self.hist, "loghist": self.loghist}


def to_host(rows: list[Tensor]) -> list[list[float]]:
    """All summary rows of a snapshot to the host in one transfer (a sync point on CUDA)."""
    if not rows:
        return []
    return torch.stack(rows).cpu().tolist()


def decode_row(row: list[float], flag_name: str | None) -> Summary:
    """A host row back into named statistics and histograms."""
    stats: dict[str, float | None] = {}
    for name, value in zip(STAT_NAMES[:7], row[:7], strict=True):
        stats[name] = value
    if flag_name is not None:
        stats[flag_name] = row[7]
    lo, hi = row[3], row[4]
    nonfinite = row[6] >= 1.0
    if nonfinite:
        for name in ("mean", "std", "rms", "min", "max"):
            stats[name] = None
    hist = {
        "lo": lo if not nonfinite else 0.0,
        "hi": hi if not nonfinite else 0.0,
        "counts": [int(c) for c in row[8 : 8 + HIST_BINS]],
    }
    loghist = {
        "lo": LOG_LO,
        "hi": LOG_HI,
        "counts": [int(c) for c in row[8 + HIST_BINS : 8 + HIST_BINS + LOG_BINS]],
        "zeros": int(row[-1]),
    }
    return Summary(stats, hist, loghist)
