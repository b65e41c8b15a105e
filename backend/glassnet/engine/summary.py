"""Fixed-size summaries of many tensors at once, computed on their device.

A snapshot summarises every quantity of every layer (W, b, z, a, δ, ∂L/∂W). Doing that tensor by
tensor costs ~25 small operations each; instead every tensor becomes one row of a zero-padded
[tensors, SAMPLE_CAP] float64 matrix and every statistic and histogram is one row-wise operation
over it (sum, amin, scatter_add): about 30 operations per snapshot however many layers, then one
transfer to the host. Tensors above SAMPLE_CAP values are summarised from a fixed random sample, so
a snapshot costs the same for a 784-256-256-10 MLP as for a playground net; their min, max and
non-finite fraction are still taken over every value. Nothing here runs unless a snapshot is due.

Non-finite values are rare, so the common case pays for no masks: padding slots hold zeros, which
add nothing to the sums, and the histogram bin those "ghost" zeros fall into is corrected
afterwards. Only when a NaN or ±inf is present are non-finite values zeroed and corrected the same
way. Rows wanted only for their moments (tensors used for derived scalars, flag masks) skip the
extremes and the histograms.

On the CPU the same statistics come from one compiled loop over the rows' values instead
(summary_kernel.py), with the big tensors' exact extremes taken by torch beforehand: there the
sixty operations' dispatch, not the arithmetic, was most of a frame's cost. A big tensor holding a
non-finite value goes the torch way, which counts those over every value.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

SAMPLE_CAP = 1024
HIST_BINS = 32
LOG_LO, LOG_HI = -12.0, 4.0  # log10|x| edges shared by every histogram, so layers compare directly
LOG_BINS = 32
_TINY = 1e-300  # stands in for |0| under log10: log10(0) takes a slow path, ~10× the cost
# Small CPU tensors are summarised by the compiled loop of summary_kernel.py (the same numbers)
# once a warm-up has loaded it (paths/compiled.py's warm_up, in every worker before its run).
COMPILED_ON_CPU = True


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


def _in_memory_order(v: Tensor) -> Tensor | None:
    """The tensor with its dimensions permuted into memory order, if that makes it contiguous."""
    if v.is_contiguous():
        return v
    order = sorted(range(v.dim()), key=lambda d: (v.stride(d), v.shape[d]), reverse=True)
    permuted = v.permute(order)
    return permuted if permuted.is_contiguous() and order[0] == 0 else None


def flat_values(v: Tensor) -> Tensor:
    """Every value of the tensor in one dimension, in memory order: a view, not a copy, for any
    dense layout with its first dimension outermost (channels-last conv maps and filters
    included), where reshape would copy."""
    permuted = _in_memory_order(v)
    return v.reshape(-1) if permuted is None else permuted.view(-1)


def example_rows(v: Tensor) -> Tensor:
    """[examples, values of one example], each row in memory order: a view where `flat_values`
    gives one. Reductions over the examples (dim 0) run ~30× faster on it than on a channels-last
    4-D tensor, which torch reduces element by element."""
    return flat_values(v).view(v.shape[0], -1)


def sample(v: Tensor) -> Tensor:
    """The tensor flattened, or a fixed random sample of SAMPLE_CAP of its values: the same
    positions (in memory order) for every tensor of that size and layout, so elementwise maths
    commutes with sampling."""
    flat = flat_values(v.detach())
    if flat.numel() <= SAMPLE_CAP:
        return flat
    return flat.index_select(0, _sample_index(flat.numel(), str(flat.device)))


@dataclass(frozen=True)
class _Layout:
    """Constants of one padded matrix, built once per combination of row sizes.

    Rows come in four groups: sampled (big) full tensors, small full tensors, moment-only
    tensors, flag masks. Small tensors (at most SAMPLE_CAP values) are copied in with one
    scatter, big ones gathered row by row.
    """

    width: int
    n_big: int  # rows 0 … n_big − 1: full tensors above SAMPLE_CAP values
    n_full: int  # rows n_big … n_full − 1: small full tensors
    sizes: Tensor  # values per row (float64)
    valid: Tensor  # 1.0 on value slots, 0.0 on padding ([rows, width], float64)
    padding: Tensor | None  # True on padding slots ([rows, width]), None if no row is padded
    pad: Tensor  # padding slots per row (int64)
    fill: Tensor  # small full rows: 0 on values, +inf on padding (for amin(x + fill))
    small: tuple[int, ...]  # rows holding a whole (small) tensor
    small_at: Tensor  # their slots in the flattened matrix, in row order
    any_empty: bool  # some full row has no values
    ones: Tensor  # [rows, width] int64: what each slot adds to its histogram bin


@functools.lru_cache(maxsize=64)
def _layout(numels: tuple[int, ...], n_big: int, n_full: int, device: str) -> _Layout:
    sizes = [min(n, SAMPLE_CAP) for n in numels]
    width = max(max(sizes), 1)
    lengths = torch.tensor(sizes, dtype=torch.float64, device=device)
    valid = torch.arange(width, device=device)[None, :] < lengths[:, None]
    small = tuple(r for r, n in enumerate(numels) if n <= SAMPLE_CAP)
    small_at = [r * width + k for r in small for k in range(numels[r])]
    return _Layout(
        width=width,
        n_big=n_big,
        n_full=n_full,
        sizes=lengths,
        valid=valid.to(torch.float64),
        padding=~valid if min(sizes) < width else None,
        pad=width - lengths.long(),
        fill=torch.where(valid[n_big:n_full], 0.0, math.inf).to(torch.float64),
        small=small,
        small_at=torch.tensor(small_at, dtype=torch.int64, device=device),
        any_empty=min(sizes[:n_full], default=1) == 0,
        ones=torch.ones((len(sizes), width), dtype=torch.int64, device=device),
    )


def _padded(rows: Sequence[Tensor], layout: _Layout, device: torch.device) -> Tensor:
    """[rows, width] float64: each row's (sampled) values, then zeros."""
    dtypes = {v.dtype for v in rows if v.is_floating_point()}
    dtype = dtypes.pop() if len(dtypes) == 1 else torch.float64
    buf = torch.zeros((len(rows), layout.width), dtype=dtype, device=device)
    if layout.small:
        # every small tensor in one concatenation and one scatter (cat promotes bool masks)
        values = torch.cat([flat_values(rows[r]) for r in layout.small]).to(dtype)
        buf.view(-1).index_copy_(0, layout.small_at, values)
    where = str(device)
    for r, v in enumerate(rows):
        n = v.numel()
        if n <= SAMPLE_CAP:
            continue
        flat = flat_values(v)
        index = _sample_index(n, where)
        if flat.dtype == dtype:
            # the sample gathered straight into its row: one operation per tensor
            torch.index_select(flat, 0, index, out=buf[r])
        else:
            buf[r].copy_(flat.index_select(0, index))
    # one conversion for the whole batch: statistics accumulate in float64
    return buf.to(torch.float64)


def _stack64(scalars: Sequence[Tensor], like: Tensor) -> Tensor:
    """0-d tensors as one float64 vector (one conversion when they share a dtype)."""
    if not scalars:
        return like.new_zeros(0)
    if len({v.dtype for v in scalars}) > 1:
        scalars = [v.to(torch.float64) for v in scalars]
    return torch.stack(list(scalars)).to(torch.float64)


def _floating(t: Tensor) -> Tensor:
    return t if t.is_floating_point() else t.to(torch.float64)


def _identity(t: Tensor) -> tuple[object, ...]:
    """Tensors with equal keys hold the same values: the same memory, read the same way."""
    return (t.data_ptr(), t.dtype, t.shape, t.stride(), t.device)


def _exact_extremes(
    tensors: Sequence[Tensor], big: Sequence[int], lo: Tensor, hi: Tensor, nonfinite: Tensor
) -> None:
    """Overwrite the sampled tensors' min, max and non-finite fraction with exact values, tensor
    by tensor: only when some value is not finite (the common case is batched in `summarise`)."""
    for i in big:
        flat = flat_values(_floating(tensors[i]))
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


@torch.no_grad()
def summarise(
    tensors: Sequence[Tensor],
    flags: Sequence[Tensor | None],
    full: Sequence[bool] | None = None,
    extremes: Sequence[tuple[Tensor, Tensor] | None] | None = None,
) -> list[dict[str, object]]:
    """Summaries in the snapshot layout: {stats, hist, loghist} for each tensor.

    `flags[i]` is a boolean mask whose mean is reported as stats.frac_flag (saturated or dead
    units), or None. Statistics ignore non-finite values and report how many there were.
    `full[i]` False asks only for the moments — {stats: mean, std, rms, frac_nonfinite, n,
    sampled} — of a tensor used for derived scalars: no min, max or histograms, and no pass over
    every value of a sampled tensor. `extremes[i]`, when the caller already knows them, are the
    tensor's exact (min, max) over all its values (NaN if it holds a NaN), as 0-d tensors.
    """
    if not tensors:
        return []
    full = full or [True] * len(tensors)
    device = tensors[0].device
    # Rows: big full tensors, small full tensors, moment-only tensors, then each distinct flag
    # mask (z and a share their layer's), whose row mean is the flagged fraction. Extremes and
    # histograms are only computed over the full rows. A tensor that views the same memory as
    # an earlier one (a layer's input x is the previous layer's a) reuses its row.
    groups: tuple[list[Tensor], ...] = ([], [], [], [])
    place: dict[tuple[object, ...], tuple[int, int]] = {}

    def assign(t: Tensor, group: int) -> tuple[int, int]:
        key = _identity(t)
        if key not in place:
            place[key] = (group, len(groups[group]))
            groups[group].append(t)
        return place[key]

    where: dict[int, tuple[int, int]] = {}
    for wanted in (True, False):
        for i, t in enumerate(tensors):
            if full[i] == wanted:
                where[i] = assign(t, (0 if t.numel() > SAMPLE_CAP else 1) if wanted else 2)
    flag_place = [None if f is None or not f.numel() else assign(f, 3) for f in flags]
    offsets = [0, len(groups[0]), len(groups[0]) + len(groups[1])]
    offsets.append(offsets[2] + len(groups[2]))
    rows = [t for g in groups for t in g]
    row_of = {i: offsets[g] + k for i, (g, k) in where.items()}
    flag_row = [None if fp is None else offsets[fp[0]] + fp[1] for fp in flag_place]
    n_big, n_full = offsets[1], offsets[2]
    known: dict[int, tuple[Tensor, Tensor]] = {}
    for i, e in enumerate(extremes or ()):
        if e is not None:
            known[row_of[i]] = e
    kernel = _loaded_kernel()
    statistics = None
    if kernel is not None and device.type == "cpu":
        statistics = _compiled_statistics(kernel, rows, n_big, n_full, known)
    if statistics is None:
        statistics = _batched_statistics(rows, n_big, n_full, known)
    moment_rows, float_rows, count_rows = statistics
    summaries: list[dict[str, object]] = []
    for i, t in enumerate(tensors):
        r = row_of[i]
        m = moment_rows[r]
        fr = flag_row[i]
        flag = None if flags[i] is None else (math.nan if fr is None else moment_rows[fr][0])
        if r < n_full:
            summaries.append(_decode(m, float_rows[r], count_rows[r], flag, t.numel()))
        else:
            summaries.append({"stats": _moments(m, flag, t.numel())})
    return summaries


def _loaded_kernel() -> Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
    """summary_kernel.summarise_rows where something loaded it, else None: a frame never waits
    for numba to import (a second) or load its compiled code."""
    if not COMPILED_ON_CPU:
        return None
    module = sys.modules.get("glassnet.engine.summary_kernel")
    return None if module is None else module.summarise_rows


def _compiled_statistics(
    summarise_rows: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]],
    rows: Sequence[Tensor],
    n_big: int,
    n_full: int,
    known: dict[int, tuple[Tensor, Tensor]],
) -> tuple[list[list[float]], list[list[float]], list[list[int]]] | None:
    """`_batched_statistics` of CPU tensors in one compiled call (summary_kernel.py): small rows
    whole, big rows by their sample, as there, with a big full row's exact extremes (`known`, or
    taken here) handed in. None when a big full tensor holds a non-finite value: only the torch
    form counts those over every value."""
    given_lo = np.full(n_full, math.nan)
    given_hi = np.full(n_full, math.nan)
    if n_big:
        lows, highs = [], []
        for r in range(n_big):
            if r in known:
                lo, hi = known[r]
            else:
                t = _floating(rows[r])
                lo, hi = t.amin(), t.amax()  # two passes: ~35% faster than aminmax on a CPU
            lows.append(lo)
            highs.append(hi)
        extremes = torch.stack([_stack64(lows, lows[0]), _stack64(highs, highs[0])]).numpy()
        if not np.isfinite(extremes).all():
            return None
        given_lo[:n_big], given_hi[:n_big] = extremes
    sizes = [v.numel() for v in rows]
    # reshape: a view of a small tensor (a copy of a few values where it is strided)
    flat = [
        v.reshape(-1) if n <= SAMPLE_CAP else sample(v) for v, n in zip(rows, sizes, strict=True)
    ]
    values = torch.cat(flat).to(torch.float64).numpy()
    moments, floats, counts = summarise_rows(
        values,
        np.minimum(sizes, SAMPLE_CAP),
        n_full,
        given_lo,
        given_hi,
        HIST_BINS,
        LOG_BINS,
        LOG_LO,
        LOG_HI,
        _TINY,
    )
    return moments.tolist(), floats.tolist(), counts.tolist()


def _batched_statistics(
    rows: Sequence[Tensor], n_big: int, n_full: int, known: dict[int, tuple[Tensor, Tensor]]
) -> tuple[list[list[float]], list[list[float]], list[list[int]]]:
    """The rows' moments ([mean, std, rms, non-finite fraction, values] each), and for the
    first n_full rows their floats ([min, max, zero fraction, non-finite fraction, histogram lo,
    hi]) and counts (HIST_BINS linear, LOG_BINS log10|x|, zeros), as a few dozen batched torch
    operations on the rows' device. `known`: exact (min, max) of big rows, by row."""
    device = rows[0].device
    layout = _layout(tuple(v.numel() for v in rows), n_big, n_full, str(device))
    x = _padded(rows, layout, device)
    width = layout.width

    # min and max of each big full tensor over all its values, not just the sample (amin and
    # amax as two passes: measured ~35% faster than one aminmax on a CPU), unless the caller
    # knows them; small tensors are whole in the padded matrix
    lows, highs = [], []
    for r in range(n_big):
        if r in known:
            lows.append(known[r][0])
            highs.append(known[r][1])
        else:
            t = _floating(rows[r])
            lows.append(t.amin())
            highs.append(t.amax())
    big_lo, big_hi = _stack64(lows, x), _stack64(highs, x)
    # are all values finite? (a sum is not finite if any term is not, or if it overflows, which
    # only sends us down the masked branch for nothing). A host sync, cheap on a CPU.
    row_sums = x.sum(dim=1)  # also the numerator of the mean when every value is finite
    all_finite = bool(torch.isfinite(torch.cat([row_sums, big_lo, big_hi])).all())
    # "ghosts": zero slots of xf that are not values (padding, and non-finite values zeroed)
    if all_finite:
        xf, real, count, excluded = x, layout.valid, layout.sizes, layout.padding
        ghosts = layout.pad
    else:
        finite = torch.isfinite(x)
        xf = torch.where(finite, x, torch.zeros_like(x))
        real = (finite & (layout.valid > 0)).to(torch.float64)
        count = real.sum(dim=1)
        excluded = real == 0
        ghosts = width - count.long()
    nonfinite = (layout.sizes - count) / layout.sizes
    safe = count.clamp_min(1)
    mean = (row_sums if all_finite else xf.sum(dim=1)) / safe
    # in-place on temporaries throughout: each new [rows, width] buffer costs an allocation
    centred = (xf - mean[:, None]).mul_(real)
    squares = torch.stack([centred.square_().sum(dim=1), (xf * xf).sum(dim=1)])
    std, rms = (squares / safe).sqrt_()
    moments = torch.stack([mean, std, rms, nonfinite, layout.sizes], dim=1)

    # extremes and histograms of the full rows only (views, no copies)
    xf, count, ghosts, sizes = xf[:n_full], count[:n_full], ghosts[:n_full], layout.sizes[:n_full]
    zeros_xf = width - torch.count_nonzero(xf, dim=1)
    zeros = zeros_xf - ghosts
    nonfinite = nonfinite[:n_full]
    if all_finite:
        small = x[n_big:n_full]
        lo = torch.cat([big_lo, (small + layout.fill).amin(dim=1)])
        hi = torch.cat([big_hi, (small - layout.fill).amax(dim=1)])
    else:
        lo = torch.full((n_full,), math.inf, dtype=torch.float64, device=device)
        hi = torch.full((n_full,), -math.inf, dtype=torch.float64, device=device)
        nonempty = [r for r in range(n_full) if rows[r].numel()]
        _exact_extremes(rows, nonempty, lo, hi, nonfinite)

    # linear histogram over each row's [min, max]; a constant row lands in the middle bin. Slots
    # that are not values go to one more bin, dropped.
    pad = torch.where(hi - lo > 0, 0.0, 0.5)  # 0.0 and 0.5 are exact in any float dtype
    lo_p, hi_p = lo - pad, hi + pad
    if not all_finite or layout.any_empty:
        has = count > 0
        lo_p = torch.where(has, lo_p, torch.zeros_like(lo))
        hi_p = torch.where(has, hi_p, torch.ones_like(hi))
    scale = HIST_BINS / (hi_p - lo_p)
    bins = (xf - lo_p[:, None]).mul_(scale[:, None]).long().clamp_(0, HIST_BINS - 1)
    if excluded is not None:
        bins.masked_fill_(excluded[:n_full], HIST_BINS)
    # scatter_add along rows: measured faster than one bincount over offset keys
    hist = torch.zeros((n_full, HIST_BINS + 1), dtype=torch.int64, device=device)
    hist.scatter_add_(1, bins, layout.ones[:n_full])

    # log10|x| histogram with fixed edges, zeros counted apart: every zero slot lands in bin 0
    # (with every |x| < 1e-12) and is taken back out of it
    logs = xf.abs().clamp_min_(_TINY).log10_().clamp_(LOG_LO, LOG_HI - 1e-9)
    lbins = logs.sub_(LOG_LO).mul_(LOG_BINS / (LOG_HI - LOG_LO)).long()
    loghist = torch.zeros((n_full, LOG_BINS), dtype=torch.int64, device=device)
    loghist.scatter_add_(1, lbins, layout.ones[:n_full])
    loghist[:, 0] -= zeros_xf

    floats = torch.stack([lo, hi, zeros / sizes, nonfinite, lo_p, hi_p], dim=1)
    counts = torch.cat([hist[:, :HIST_BINS], loghist, zeros[:, None]], 1)
    # the device → host transfer of a snapshot's summaries (a sync point on CUDA)
    moment_rows = moments.cpu().tolist()
    float_rows, count_rows = floats.cpu().tolist(), counts.cpu().tolist()
    return moment_rows, float_rows, count_rows


def _moments(m: list[float], flag: float | None, numel: int) -> dict[str, float | int | None]:
    """mean, std, rms, frac_nonfinite (+ frac_flag), n, sampled from a row of `moments`."""
    empty = m[3] >= 1.0
    stats: dict[str, float | int | None] = {
        "mean": None if empty else m[0],
        "std": None if empty else m[1],
        "rms": None if empty else m[2],
        "frac_nonfinite": m[3],
    }
    if flag is not None:
        stats["frac_flag"] = flag
    stats["n"] = numel
    stats["sampled"] = int(m[4])
    return stats


def _decode(
    m: list[float], f: list[float], c: list[int], flag: float | None, numel: int
) -> dict[str, object]:
    empty = f[3] >= 1.0  # the non-finite fraction over every value, when that was taken
    stats: dict[str, float | int | None] = {
        "mean": None if empty else m[0],
        "std": None if empty else m[1],
        "rms": None if empty else m[2],
        "min": None if empty else f[0],
        "max": None if empty else f[1],
        "frac_zero": f[2],
        "frac_nonfinite": f[3],
    }
    if flag is not None:
        stats["frac_flag"] = flag
    stats["n"] = numel
    stats["sampled"] = int(m[4])
    return {
        "stats": stats,
        "hist": {"lo": f[4], "hi": f[5], "counts": c[:HIST_BINS]},
        "loghist": {
            "lo": LOG_LO,
            "hi": LOG_HI,
            "counts": c[HIST_BINS : HIST_BINS + LOG_BINS],
            "zeros": c[-1],
        },
    }
