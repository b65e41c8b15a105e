/**
 * Histogram axis logic for the small-multiples grid: which x range each panel uses (shared across the
 * layers of one quantity, or per layer) and how a histogram binned over its own [lo, hi] is re-binned
 * onto the panel's display bins. Pure; no DOM.
 */
import type { LiveQuantity } from "../wire/frame";

/** A frame's histogram: counts over equal bins between lo and hi. */
export type HistLike = LiveQuantity["hist"];
/** Histogram of log10|x| over fixed edges; `zeros` counts exact zeros (log undefined). */
export type LogHistLike = HistLike & Partial<LiveQuantity["loghist"]>;

export type AxisMode = "shared" | "per-layer";
export type ScaleMode = "linear" | "log";

export interface Range {
  lo: number;
  hi: number;
}

/** The histogram's own range, or null when it is missing, empty or non-finite. */
export function histRange(h: HistLike | null | undefined): Range | null {
  if (!h || !h.counts || h.counts.length === 0) return null;
  if (!Number.isFinite(h.lo) || !Number.isFinite(h.hi) || h.hi < h.lo) return null;
  return { lo: h.lo, hi: h.hi };
}

/** A degenerate range (all values equal) is widened so it can be drawn: ±10 % of |x|, or ±0.5 at 0. */
export function padRange(r: Range): Range {
  if (r.hi > r.lo) return r;
  const half = r.lo === 0 ? 0.5 : Math.abs(r.lo) * 0.1;
  return { lo: r.lo - half, hi: r.hi + half };
}

/** Union of the ranges of several histograms (the shared x axis of one quantity across layers). */
export function unionRange(hists: ReadonlyArray<HistLike | null | undefined>): Range | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hists) {
    const r = histRange(h);
    if (!r) continue;
    if (r.lo < lo) lo = r.lo;
    if (r.hi > hi) hi = r.hi;
  }
  return lo <= hi ? padRange({ lo, hi }) : null;
}

/**
 * The x range of each panel in one row of the grid.
 * 'shared': every layer uses the union, so a distribution that collapses toward 0 with depth is seen
 * as collapsing (the point of the weight-initialisation figures). 'per-layer': each panel is zoomed to
 * its own data, so its shape is readable even when its scale is 10⁻⁶ of its neighbour's.
 */
export function panelRanges(
  hists: ReadonlyArray<HistLike | null | undefined>,
  mode: AxisMode,
): (Range | null)[] {
  if (mode === "shared") {
    const u = unionRange(hists);
    return hists.map((h) => (histRange(h) ? u : null));
  }
  return hists.map((h) => {
    const r = histRange(h);
    return r ? padRange(r) : null;
  });
}

/**
 * Re-bin `counts` (uniform bins over [srcLo, srcHi]) onto `out.length` uniform bins over [dstLo, dstHi],
 * splitting each source bin's count by overlap (mass assumed uniform inside a bin). Mass outside the
 * destination range is dropped. A zero-width source range puts all its mass in the bin containing srcLo.
 * Writes into `out` (no allocation) and returns the largest bin value.
 */
export function rebin(
  counts: ArrayLike<number>,
  srcLo: number,
  srcHi: number,
  dstLo: number,
  dstHi: number,
  out: Float64Array,
): number {
  out.fill(0);
  const nDst = out.length;
  const nSrc = counts.length;
  if (nDst === 0 || nSrc === 0 || !(dstHi > dstLo)) return 0;
  const dstW = (dstHi - dstLo) / nDst;
  if (!(srcHi > srcLo)) {
    let total = 0;
    for (let i = 0; i < nSrc; i++) total += counts[i];
    const j = Math.floor((srcLo - dstLo) / dstW);
    if (j >= 0 && j < nDst) out[j] += total;
    else if (srcLo === dstHi) out[nDst - 1] += total;
    return maxOf(out);
  }
  const srcW = (srcHi - srcLo) / nSrc;
  for (let i = 0; i < nSrc; i++) {
    const c = counts[i];
    if (!c) continue;
    const a = srcLo + i * srcW;
    const b = a + srcW;
    let j0 = Math.floor((a - dstLo) / dstW);
    let j1 = Math.floor((b - dstLo) / dstW);
    if (j1 < 0 || j0 >= nDst) continue;
    j0 = Math.max(j0, 0);
    j1 = Math.min(j1, nDst - 1);
    for (let j = j0; j <= j1; j++) {
      const binLo = dstLo + j * dstW;
      const overlap = Math.min(b, binLo + dstW) - Math.max(a, binLo);
      if (overlap > 0) out[j] += (c * overlap) / srcW;
    }
  }
  return maxOf(out);
}

export function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

export function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** The histogram a panel draws for the given scale mode (linear: `hist`, log: `loghist`). */
export function pickHist(
  q: { hist?: HistLike | null; loghist?: LogHistLike | null } | null | undefined,
  scale: ScaleMode,
): HistLike | LogHistLike | null {
  if (!q) return null;
  return (scale === "log" ? q.loghist : q.hist) ?? null;
}

/**
 * Range of log10|x| that actually holds mass, over several log-histograms (fixed edges on the wire,
 * typically [-12, 4]); the panels zoom to it, one decade of margin each side, clipped to the edges.
 */
export function occupiedLogRange(hists: ReadonlyArray<LogHistLike | null | undefined>): Range | null {
  let lo = Infinity;
  let hi = -Infinity;
  let edgeLo = Infinity;
  let edgeHi = -Infinity;
  for (const h of hists) {
    const r = histRange(h);
    if (!r || !h) continue;
    edgeLo = Math.min(edgeLo, r.lo);
    edgeHi = Math.max(edgeHi, r.hi);
    const n = h.counts.length;
    const w = (r.hi - r.lo) / n;
    for (let i = 0; i < n; i++) {
      if (h.counts[i] > 0) {
        lo = Math.min(lo, r.lo + i * w);
        hi = Math.max(hi, r.lo + (i + 1) * w);
      }
    }
  }
  if (!(edgeLo <= edgeHi)) return null;
  if (!(lo <= hi)) return { lo: edgeLo, hi: edgeHi };
  return { lo: Math.max(edgeLo, Math.floor(lo) - 1), hi: Math.min(edgeHi, Math.ceil(hi) + 1) };
}

/** Up to ~maxTicks "nice" tick values (1, 2, 5 × 10ᵏ steps) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, maxTicks = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, maxTicks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let i = first; i * step <= hi + step * 1e-9 && out.length <= 50; i++) {
    out.push(i === 0 ? 0 : Number((i * step).toPrecision(12)));
  }
  return out;
}
