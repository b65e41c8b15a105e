/**
 * What the Data parallel view shows, from a frame's `parallel` part (shared_schemas/snapshot.py
 * ParallelFrame): one card per worker with its rows and gradient bars per parameter, the all-reduce,
 * the update, and how far the all-reduce is from one worker's gradient of the whole batch.
 * Pure: no React, no DOM.
 */
import type { LiveFrame } from "../../wire/frame";

type Frame = NonNullable<LiveFrame["parallel"]>;

/** One bar: a parameter's gradient norm, and its length as a share of the longest bar shown. */
export interface GradientBar {
  name: string;
  norm: number;
  share: number;
}

export interface WorkerCard {
  worker: number;
  /** "rows 1–8 of 32" (1-based, inclusive), or "no rows" for a short last batch */
  rows: string;
  size: number;
  examples: number[];
  weight: number;
  loss: number | null;
  bars: GradientBar[];
}

export interface ParallelModel {
  step: number;
  workers: number;
  mode: "sync" | "async";
  staleness: number;
  batchRows: number;
  /** how the all-reduce combines: "Σ (rows/b)·gᵢ" or "Σ gᵢ" */
  rule: string;
  inProcess: boolean;
  cards: WorkerCard[];
  average: GradientBar[];
  update: GradientBar[];
  /** max |all-reduce − one worker|, null when dropout makes the passes differ */
  difference: number | null;
  /** one parameter's first value three ways: the all-reduce, one worker's, and the update */
  sample: { name: string; average: number; oneWorker: number | null; update: number } | null;
}

function entries(norms: Record<string, number> | null | undefined): [string, number][] {
  return norms ? Object.entries(norms) : [];
}

function bars(norms: Record<string, number> | null | undefined, longest: number): GradientBar[] {
  return entries(norms).map(([name, norm]) => ({ name, norm, share: longest > 0 ? norm / longest : 0 }));
}

function first(values: Record<string, ArrayLike<number>> | null | undefined, name: string): number | null {
  const v = values?.[name];
  return v && v.length > 0 ? (v[0] ?? null) : null;
}

/** The view's model of a frame, or null when the run does not split its batches. */
export function parallelModel(frame: LiveFrame | null): ParallelModel | null {
  const p: Frame | null | undefined = frame?.parallel;
  if (!p) return null;
  // the shards' and the all-reduce's bars share one scale, so a worker's bar compares with the sum
  const longest = Math.max(
    0,
    ...p.shards.flatMap((s) => entries(s.grad_norms).map(([, n]) => n)),
    ...entries(p.average.grad_norms).map(([, n]) => n),
  );
  const batchRows = p.shards.reduce((n, s) => Math.max(n, s.rows[1] ?? 0), 0);
  const cards = p.shards.map((s) => {
    const start = s.rows[0] ?? 0;
    const stop = s.rows[1] ?? 0;
    return {
      worker: s.worker,
      rows: stop > start ? `rows ${start + 1}–${stop} of ${batchRows}` : "no rows",
      size: stop - start,
      examples: Array.from(s.examples ?? []),
      weight: s.weight,
      loss: s.loss,
      bars: bars(s.grad_norms, longest),
    };
  });
  const name = Object.keys(p.average.grad_norms)[0];
  const average = name !== undefined ? first(p.average.grad_sample, name) : null;
  const update = name !== undefined ? first(p.update.sample, name) : null;
  return {
    step: p.step,
    workers: p.workers,
    mode: p.mode,
    staleness: p.staleness,
    batchRows,
    rule: p.combine === "sum" ? "Σ gᵢ" : "Σ (rows/b)·gᵢ",
    inProcess: p.in_process,
    cards,
    average: bars(p.average.grad_norms, longest),
    update: bars(p.update.norms, Math.max(0, ...entries(p.update.norms).map(([, n]) => n))),
    difference: p.max_abs_difference,
    sample:
      name !== undefined && average !== null && update !== null
        ? { name, average, oneWorker: p.full_batch ? first(p.full_batch.grad_sample, name) : null, update }
        : null,
  };
}

/** A gradient value to the last digit a float64 holds (17 significant digits). */
export function fullDigits(x: number): string {
  return x.toPrecision(17);
}

/** The difference line: exactly 0, or its size as a power of ten. */
export function describeDifference(d: number | null): string {
  if (d === null) return "not compared: dropout draws new masks on every pass";
  if (d === 0) return "0 — identical to the last digit";
  return `${d.toExponential(1)} — rounding in the last digits (the additions run in another order)`;
}
