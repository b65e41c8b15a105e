/**
 * Pure shaping of comparisons for drawing: loss curves of several runs on one step axis, histograms
 * of every run as shares of their own totals (runs sampled differently still compare), each run's
 * shares minus a reference run's, and gradient flow (RMS δ per layer) per run.
 */
import type { Comparison, CompareQuantity } from "../net/api";

export type MetricKey = "loss" | "accuracy" | "val_loss" | "val_accuracy";
export const QUANTITIES = ["W", "z", "a", "delta"] as const;
export type ShownQuantity = (typeof QUANTITIES)[number];
export const QUANTITY_LABEL: Record<ShownQuantity, string> = { W: "W", z: "z", a: "a", delta: "δ" };

export interface Curve {
  label: string;
  rows: readonly { step: number; [k: string]: unknown }[];
}

/** Columns [steps, run 1, run 2, …] on the union of every run's steps (null where a run has no row). */
export function curveColumns(curves: readonly Curve[], key: MetricKey): (number | null)[][] {
  const steps = [...new Set(curves.flatMap((c) => c.rows.map((r) => r.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const cols: (number | null)[][] = [steps];
  for (const c of curves) {
    const col: (number | null)[] = new Array<number | null>(steps.length).fill(null);
    for (const r of c.rows) {
      const v = r[key];
      if (typeof v === "number" && Number.isFinite(v)) col[index.get(r.step)!] = v;
    }
    cols.push(col);
  }
  return cols;
}

export interface Overlay {
  edges: number[];
  /** per run: each bin's share of that run's values, or null when the run lacks the quantity */
  shares: (number[] | null)[];
  maxShare: number;
}

/** A quantity's shared-bin histograms as shares, ready to overlay. */
export function overlay(q: CompareQuantity, log = false): Overlay {
  const counts = log ? q.loghist.counts : q.hist.counts;
  const bins = counts.find((c) => c)?.length ?? 0;
  const { lo, hi } = q.loghist;
  const edges = log
    ? Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, bins))
    : q.hist.edges;
  let maxShare = 0;
  const shares = counts.map((c) => {
    if (!c) return null;
    const total = c.reduce((a, b) => a + b, 0);
    const s = c.map((v) => (total > 0 ? v / total : 0));
    for (const v of s) maxShare = Math.max(maxShare, v);
    return s;
  });
  return { edges, shares, maxShare };
}

/** How the histograms of the runs are shown: drawn over each other, or as differences from one run. */
export type HistogramMode = "overlay" | "difference";

export interface Differences {
  edges: number[];
  /**
   * per run: each bin's share of the run's values minus the reference run's share in that bin
   * (zero everywhere for the reference itself); null when the run or the reference lacks the quantity
   */
  diffs: (number[] | null)[];
  /** the largest |difference| of any run in any bin (the chart's scale, symmetric around zero) */
  maxAbs: number;
  reference: number;
}

/**
 * A quantity's shared-bin histograms as differences from run `reference`: shares (fractions of each
 * run's own total, so runs with different sample sizes compare) minus the reference's shares. Each
 * run's differences sum to zero: what it has more of in some bins it has less of in others.
 */
export function differences(q: CompareQuantity, reference: number, log = false): Differences {
  const { edges, shares } = overlay(q, log);
  const ref = shares[reference] ?? null;
  let maxAbs = 0;
  const diffs = shares.map((s) => {
    if (!s || !ref) return null;
    const d = s.map((v, b) => v - (ref[b] ?? 0));
    for (const v of d) maxAbs = Math.max(maxAbs, Math.abs(v));
    return d;
  });
  return { edges, diffs, maxAbs, reference };
}

/** The index of the reference run among `runIds`: the one asked for when it is compared, else the first. */
export function referenceIndex(runIds: readonly string[], reference: string | null): number {
  const at = reference === null ? -1 : runIds.indexOf(reference);
  return at >= 0 ? at : 0;
}

/** Every step any run recorded, sorted: the stops of the one step scrubber. */
export function scrubSteps(c: Comparison): number[] {
  return [...new Set(c.runs.flatMap((r) => r.recorded_steps))].sort((a, b) => a - b);
}

export interface FlowLine {
  runIndex: number;
  /** RMS δ of each layer in `layers` order (null where the run lacks the layer) */
  rms: (number | null)[];
}

/** Gradient flow: per run, RMS δ of every layer from input to output. */
export function gradientFlow(c: Comparison): { layers: string[]; lines: FlowLine[] } {
  const layers = c.layers.filter((l) => l.quantities.delta).map((l) => l.id);
  const lines = c.runs.map((_, runIndex) => ({
    runIndex,
    rms: c.layers
      .filter((l) => l.quantities.delta)
      .map((l) => l.quantities.delta!.stats[runIndex]?.rms ?? null),
  }));
  return { layers, lines };
}
