"""summary.py's statistics of CPU tensors (small ones whole, big ones by their sample) as one
compiled loop.

A playground network's frame summarises a few dozen tensors of a few dozen values each. The batched
torch form in summary.py runs about sixty operations whatever the sizes, each a few microseconds of
dispatch on a handful of numbers, and that dispatch was most of such a frame's cost. Here every
row is read once or twice in one numba call. A bigger network's tensors enter by their fixed
sample, with their exact extremes taken by torch beforehand, as the torch form takes them. The formulas are summary.py's, operation by operation
(the histogram bin is trunc((x − lo) · scale), the log bin trunc((log10|x| − LOG_LO) · 2)), so the
two agree to rounding in the sums and bin for bin; tests/unit/engine/test_summary.py runs its cases
through both.
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.engine.jit import njit

Array = np.ndarray

MOMENTS = 5  # mean, std, rms, non-finite fraction, values
FLOATS = 6  # min, max, zero fraction, non-finite fraction, histogram lo, histogram hi


# compiled (or loaded from the cache) when this module is imported, not at the first frame
@njit(
    "Tuple((f8[:, :], f8[:, :], i8[:, :]))(f8[:], i8[:], i8, f8[:], f8[:], i8, i8, f8, f8, f8)",
    cache=True,
    error_model="numpy",
)
def summarise_rows(
    values: Array,
    sizes: Array,
    n_full: int,
    given_lo: Array,
    given_hi: Array,
    hist_bins: int,
    log_bins: int,
    log_lo: float,
    log_hi: float,
    tiny: float,
) -> tuple[Array, Array, Array]:
    """The rows one after the other in `values` (float64), row r of sizes[r] values. Returns the
    moments of every row ([rows, 5]); the extremes, zero fraction and histogram range
    ([n_full, 6]) and the counts — hist_bins linear, log_bins log10|x|, zeros —
    ([n_full, hist_bins + log_bins + 1]) of the first n_full rows. Non-finite values are left out
    of every statistic and counted apart.

    given_lo[r], given_hi[r] (r < n_full), where not NaN, are the row's extremes taken elsewhere:
    a sampled tensor's exact min and max over all its values (finite), which are then its
    reported extremes and its histogram's range."""
    rows = sizes.shape[0]
    moments = np.zeros((rows, MOMENTS))
    floats = np.zeros((n_full, FLOATS))
    counts = np.zeros((n_full, hist_bins + log_bins + 1), dtype=np.int64)
    log_scale = log_bins / (log_hi - log_lo)
    e = 0
    for r in range(rows):
        s, e = e, e + sizes[r]
        size = float(sizes[r])
        count = 0
        total = 0.0
        squares = 0.0
        lo = math.inf
        hi = -math.inf
        zeros = 0
        for i in range(s, e):
            v = values[i]
            if math.isfinite(v):
                count += 1
                total += v
                squares += v * v
                lo = min(lo, v)
                hi = max(hi, v)
                if v == 0.0:
                    zeros += 1
        safe = max(count, 1)
        mean = total / safe
        centred = 0.0
        for i in range(s, e):
            v = values[i]
            if math.isfinite(v):
                centred += (v - mean) * (v - mean)
        nonfinite = (size - count) / size
        moments[r, 0] = mean
        moments[r, 1] = math.sqrt(centred / safe)
        moments[r, 2] = math.sqrt(squares / safe)
        moments[r, 3] = nonfinite
        moments[r, 4] = size
        if r >= n_full:
            continue
        if not math.isnan(given_lo[r]):
            lo, hi = given_lo[r], given_hi[r]
        pad = 0.0 if hi - lo > 0 else 0.5
        lo_p, hi_p = lo - pad, hi + pad
        if count == 0:
            lo_p, hi_p = 0.0, 1.0
        scale = hist_bins / (hi_p - lo_p)
        for i in range(s, e):
            v = values[i]
            if not math.isfinite(v):
                continue
            b = int((v - lo_p) * scale)
            counts[r, min(max(b, 0), hist_bins - 1)] += 1
            if v != 0.0:
                log = min(max(math.log10(max(abs(v), tiny)), log_lo), log_hi - 1e-9)
                counts[r, hist_bins + int((log - log_lo) * log_scale)] += 1
        counts[r, hist_bins + log_bins] = zeros
        floats[r, 0] = lo
        floats[r, 1] = hi
        floats[r, 2] = zeros / size
        floats[r, 3] = nonfinite
        floats[r, 4] = lo_p
        floats[r, 5] = hi_p
    return moments, floats, counts
