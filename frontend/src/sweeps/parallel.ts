/**
 * The parallel-coordinates plot's model (pure): one vertical axis per sweep axis, then final loss and
 * final accuracy; one polyline per run that has metrics. Numeric axes are linear, or logarithmic when
 * every value is positive and they span a factor of ten; other values sit evenly in the sweep's order.
 */
import type { SweepPublic } from "../net/api";
import { valueLabel } from "./fields";

export interface ParallelTick {
  /** 0 = bottom, 1 = top */
  pos: number;
  text: string;
}

export interface ParallelAxis {
  label: string;
  ticks: ParallelTick[];
}

export interface ParallelLine {
  runId: string;
  label: string;
  /** one position per axis (0 bottom … 1 top), null where the run has no value */
  positions: (number | null)[];
  /** 0 = best final loss of the sweep, 1 = worst (for colour) */
  rank: number;
}

export interface ParallelModel {
  axes: ParallelAxis[];
  lines: ParallelLine[];
}

interface Scale {
  axis: ParallelAxis;
  pos: (v: unknown) => number | null;
}

function numericScale(label: string, values: number[]): Scale {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const log = finite.length > 0 && lo > 0 && hi / lo >= 10;
  const f = (v: number) => (log ? Math.log10(v) : v);
  if (!(hi > lo)) {
    lo = lo - (Math.abs(lo) || 1) * 0.5;
    hi = hi + (Math.abs(hi) || 1) * 0.5;
  }
  const a = f(lo);
  const b = f(hi);
  const pos = (v: unknown) =>
    typeof v === "number" && Number.isFinite(v) && (!log || v > 0) ? (f(v) - a) / (b - a) : null;
  const tickValues = log
    ? Array.from({ length: Math.floor(b) - Math.ceil(a) + 1 }, (_, i) => 10 ** (Math.ceil(a) + i))
    : [lo, (lo + hi) / 2, hi];
  const ticks = (tickValues.length >= 2 ? tickValues : [lo, hi]).map((v) => ({
    pos: pos(v) ?? 0,
    text: valueLabel(v),
  }));
  return { axis: { label: log ? `${label} (log)` : label, ticks }, pos };
}

function categoricalScale(label: string, values: unknown[]): Scale {
  const keys = values.map((v) => JSON.stringify(v));
  const n = keys.length;
  const at = (i: number) => (n === 1 ? 0.5 : i / (n - 1));
  return {
    axis: { label, ticks: values.map((v, i) => ({ pos: at(i), text: valueLabel(v) })) },
    pos: (v) => {
      const i = keys.indexOf(JSON.stringify(v));
      return i < 0 ? null : at(i);
    },
  };
}

function scaleFor(label: string, values: unknown[]): Scale {
  return values.every((v) => typeof v === "number")
    ? numericScale(label, values as number[])
    : categoricalScale(label, values);
}

/** The plot's axes and one line per run with final metrics, in grid order. */
export function parallelModel(sweep: SweepPublic, axisLabels: readonly string[]): ParallelModel {
  const points = sweep.runs.filter((p) => p.run_id && p.final_metrics);
  const scales = sweep.axes.map((a, k) => scaleFor(axisLabels[k] ?? a.pointer, a.values));
  const losses = points.map((p) => p.final_metrics?.loss ?? null);
  const accuracies = points.map((p) => p.final_metrics?.accuracy ?? null);
  const finiteLosses = losses.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finiteLosses.length) scales.push(numericScale("final loss", finiteLosses));
  const hasAccuracy = accuracies.some((v) => v !== null);
  if (hasAccuracy) {
    const acc = numericScale("final accuracy", [0, 1]);
    scales.push(acc);
  }
  const sorted = [...finiteLosses].sort((x, y) => x - y);
  const lines = points.map((p, i) => {
    const raw: unknown[] = [...p.values];
    if (finiteLosses.length) raw.push(losses[i]);
    if (hasAccuracy) raw.push(accuracies[i]);
    const loss = losses[i];
    const rank =
      loss === null || sorted.length < 2 ? 1 : sorted.indexOf(loss) / Math.max(1, sorted.length - 1);
    return {
      runId: p.run_id!,
      label: p.values.map(valueLabel).join(" · "),
      positions: raw.map((v, k) => scales[k]!.pos(v)),
      rank,
    };
  });
  return { axes: scales.map((s) => s.axis), lines };
}
