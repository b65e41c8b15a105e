/**
 * The Predictions view's logic, kept out of React: reading a frame's `predictions` (engine/predictions.py;
 * shared_schemas/snapshot.py `Predictions`), the confusion matrix's row shares and cell explanations,
 * which output bars an example shows, labels and headlines, the glue to GET /runs/{id}/examples, and
 * the regression scatter's scale.
 */
import type { RunExamples } from "../../net/api";
import { fmtNum, fmtPct } from "../../charts/format";

export type Task = "binary" | "multiclass" | "regression";
export type Split = "val" | "train";

/** A frame's predicted example read into plain numbers (NaN where the wire has null). */
export interface ExampleReading {
  /** position in the split: entry `index` of GET /runs/{id}/examples */
  index: number;
  /** true class, or the first target value (regression) */
  target: number;
  /** predicted class, or the first output (regression) */
  predicted: number;
  /** the output layer's a (at most 20 values) */
  outputs: number[];
}

export interface PredictionsData {
  /** the run the frame belongs to, if it says */
  run: string | null;
  split: Split;
  /** the step the outputs were computed at (the epoch-end validation pass while training) */
  step: number;
  epoch: number;
  task: Task;
  /** examples evaluated */
  n: number;
  classNames: string[] | null;
  correct: number | null;
  /** counts [true class][predicted class] */
  confusion: number[][] | null;
  scatter: { target: number[]; predicted: number[] } | null;
  examples: ExampleReading[];
}

/** A plain number list from a JSON array or a msgpack-packed typed array; null for anything else. */
export function numbers(x: unknown): number[] | null {
  if (Array.isArray(x)) return x.map((v) => (typeof v === "number" ? v : Number.NaN));
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
  return null;
}

function num(x: unknown, fallback = Number.NaN): number {
  return typeof x === "number" ? x : fallback;
}

const TASKS: readonly string[] = ["binary", "multiclass", "regression"];

/** A frame's `predictions`, with typed arrays made plain; null when absent or not understood. */
export function readPredictions(
  frame: { run?: unknown; predictions?: unknown } | null | undefined,
): PredictionsData | null {
  const p = frame?.predictions as Record<string, unknown> | null | undefined;
  if (!p || typeof p !== "object") return null;
  const task = p.task;
  if (typeof task !== "string" || !TASKS.includes(task)) return null;
  const confusion = Array.isArray(p.confusion) ? p.confusion.map((row) => numbers(row) ?? []) : null;
  const sc = p.scatter as Record<string, unknown> | null | undefined;
  const target = numbers(sc?.target);
  const predicted = numbers(sc?.predicted);
  const examples = Array.isArray(p.examples)
    ? p.examples.map((e: Record<string, unknown>, i) => ({
        index: num(e?.index, i),
        target: num(e?.target),
        predicted: num(e?.predicted),
        outputs: numbers(e?.outputs) ?? [],
      }))
    : [];
  return {
    run: typeof frame?.run === "string" ? frame.run : null,
    split: p.split === "train" ? "train" : "val",
    step: num(p.step, 0),
    epoch: num(p.epoch, 0),
    task: task as Task,
    n: num(p.n, 0),
    classNames: Array.isArray(p.class_names) ? p.class_names.map(String) : null,
    correct: typeof p.correct === "number" ? p.correct : null,
    confusion,
    scatter: target && predicted ? { target, predicted } : null,
    examples,
  };
}

/** Whether two readings describe the same predictions (they are computed once an epoch). */
export function samePredictions(a: PredictionsData | null, b: PredictionsData | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.run === b.run &&
    a.split === b.split &&
    a.step === b.step &&
    a.epoch === b.epoch &&
    a.task === b.task &&
    a.n === b.n &&
    a.examples.length === b.examples.length
  );
}

// --- labels and headlines -----------------------------------------------------------------

/** A class's name ("7", "medium"); its index when the frame names no classes. */
export function classLabel(names: readonly string[] | null, k: number): string {
  const name = names?.[k];
  return name !== undefined && name !== "" ? name : String(k);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "validation split · 200 examples · at step 125 (epoch 5)" */
export function splitLine(p: PredictionsData): string {
  const split = p.split === "val" ? "validation split" : "training split (no validation split)";
  return `${split} · ${plural(p.n, "example")} · at step ${p.step.toLocaleString("en-US")} (epoch ${p.epoch})`;
}

/** correct / n, or null when there is nothing to divide. */
export function accuracy(p: Pick<PredictionsData, "correct" | "n">): number | null {
  return p.correct !== null && p.n > 0 ? p.correct / p.n : null;
}

/** "87.5 %" with one decimal (the headline); "–" when unknown. */
export function accuracyText(acc: number | null): string {
  if (acc === null || !Number.isFinite(acc)) return "–";
  return `${(acc * 100).toFixed(1)} %`;
}

// --- confusion matrix ---------------------------------------------------------------------

export function rowSums(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row) => row.reduce((s, v) => s + v, 0));
}

export function confusionTotal(confusion: readonly (readonly number[])[]): number {
  return rowSums(confusion).reduce((s, v) => s + v, 0);
}

/** Each count as a share of its row (its true class); 0 across a class with no examples. */
export function rowFractions(confusion: readonly (readonly number[])[]): number[][] {
  const sums = rowSums(confusion);
  return confusion.map((row, i) => row.map((v) => (sums[i]! > 0 ? v / sums[i]! : 0)));
}

/** "12 examples of class 3 predicted as 5 (6 % of class 3)"; on the diagonal they are right. */
export function explainCell(
  confusion: readonly (readonly number[])[],
  names: readonly string[] | null,
  trueClass: number,
  predictedClass: number,
): string {
  const count = confusion[trueClass]?.[predictedClass] ?? 0;
  const total = rowSums([confusion[trueClass] ?? []])[0]!;
  const a = classLabel(names, trueClass);
  const b = classLabel(names, predictedClass);
  const share = total > 0 ? ` (${fmtPct(count / total)} of class ${a})` : "";
  const verdict = trueClass === predictedClass ? " — right" : "";
  return `${plural(count, "example")} of class ${a} predicted as ${b}${verdict}${share}`;
}

/**
 * Cell colour: blue along the diagonal (right), vermillion off it (mixed up), stronger with the row
 * share (Okabe–Ito's pair, distinct for every kind of colour blindness). `ink` is the text colour that
 * stays readable on it.
 */
export function cellColour(fraction: number, diagonal: boolean): { background: string; ink: string } {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  // A gentle ease so that a few mix-ups (5-10 % of a row) are already visible.
  const t = Math.pow(f, 0.7);
  const [r, g, b] = diagonal ? [0, 114, 178] : [213, 94, 0];
  const mix = (c: number) => Math.round(255 + (c - 255) * t);
  return {
    background: f > 0 ? `rgb(${mix(r)},${mix(g)},${mix(b)})` : "#fff",
    ink: t > 0.55 ? "#fff" : f > 0 ? "#111" : "#aaa",
  };
}

// --- output bars --------------------------------------------------------------------------

/** Indices of the k largest values, largest first (ties: lower index first; NaN last). */
export function topK(values: readonly number[], k: number): number[] {
  const key = (v: number) => (Number.isNaN(v) ? -Infinity : v);
  return values
    .map((_, i) => i)
    .sort((i, j) => key(values[j]!) - key(values[i]!) || i - j)
    .slice(0, Math.max(0, k));
}

export interface OutputBar {
  /** the class this bar is about */
  cls: number;
  label: string;
  value: number;
  /** bar length in [0, 1] */
  length: number;
}

/** Up to this many classes every output gets a bar; beyond, only the top TOP_BARS. */
export const ALL_BARS_UP_TO = 10;
export const TOP_BARS = 3;

/**
 * The bars an example shows: one output = p(class 1) (a binary unit); up to ten outputs = every
 * class in order; more = the three largest, largest first.
 */
export function outputBars(outputs: readonly number[], names: readonly string[] | null): OutputBar[] {
  const bar = (cls: number, value: number): OutputBar => ({
    cls,
    label: classLabel(names, cls),
    value,
    length: Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0,
  });
  if (outputs.length === 1) return [bar(1, outputs[0]!)];
  const order = outputs.length <= ALL_BARS_UP_TO ? outputs.map((_, i) => i) : topK(outputs, TOP_BARS);
  return order.map((i) => bar(i, outputs[i]!));
}

/** "p = 0.93" style value text for a bar: two decimals inside [0, 1], compact otherwise. */
export function barValue(v: number): string {
  if (!Number.isFinite(v)) return fmtNum(v);
  if (v >= 0 && v <= 1) return v.toFixed(2);
  return fmtNum(v, 3);
}

// --- the examples' inputs (GET /runs/{id}/examples) ----------------------------------------

/**
 * How many trailing columns of the examples table are targets: the outputs for regression and one
 * binary unit; one one-hot column per class otherwise.
 */
export function targetColumnCount(p: PredictionsData): number {
  const outputs = p.examples[0]?.outputs.length ?? 1;
  if (p.task === "regression") return Math.max(1, outputs);
  if (outputs === 1) return 1;
  return p.classNames?.length ?? p.confusion?.length ?? outputs;
}

export interface TableInputs {
  names: string[];
  /** per example: its input values */
  rows: number[][];
  /** the first target column's name, if the table has one */
  targetName: string | null;
}

/** Split the examples table into input columns and the (first) target's name. */
export function tableInputs(table: RunExamples["table"] | undefined, targets: number): TableInputs | null {
  if (!table || !Array.isArray(table.columns)) return null;
  const nIn = Math.max(0, table.columns.length - Math.max(0, targets));
  return {
    names: table.columns.slice(0, nIn),
    rows: (table.rows ?? []).map((r) => (numbers(r) ?? []).slice(0, nIn)),
    targetName: table.columns[nIn] ?? null,
  };
}

/** A short input description for a tile or table cell: "x1 0.5 · x2 1" (first `max`, then "…"). */
export function inputSummary(names: readonly string[], values: readonly number[], max = 4): string {
  const parts = values.slice(0, max).map((v, i) => `${columnLabel(names[i] ?? `x${i + 1}`)} ${fmtNum(v, 3)}`);
  if (values.length > max) parts.push(`… (${values.length} inputs)`);
  return parts.join(" · ");
}

/** A column name for people: "ambient_temperature" → "ambient temperature". */
export function columnLabel(name: string): string {
  return name.replace(/_/g, " ");
}

export interface InputRows {
  rows: { name: string; value: string }[];
  /** inputs left out */
  more: number;
}

/** An example's first `max` inputs as name/value pairs for a tile (a table row, not an image). */
export function inputRows(names: readonly string[], values: readonly number[], max = 3): InputRows {
  // Showing max − 1 and "1 more" would save nothing: show the last one instead.
  const shown = values.length <= max ? values.length : max - 1;
  return {
    rows: values
      .slice(0, shown)
      .map((v, i) => ({ name: columnLabel(names[i] ?? `x${i + 1}`), value: fmtNum(v, 3) })),
    more: values.length - shown,
  };
}

/** The image of example `index`, if the examples response holds one. */
export function imageOf(
  examples: RunExamples | null,
  index: number,
): { data: string; width: number; height: number } | null {
  const im = examples?.kind === "images" ? examples.images : undefined;
  const data = im?.data?.[index];
  if (!im || typeof data !== "string" || !(im.width > 0) || !(im.height > 0)) return null;
  return { data, width: im.width, height: im.height };
}

// --- regression ---------------------------------------------------------------------------

export interface RegressionSummary {
  /** pairs summarised: the scatter's (at most 500) whose output is finite */
  n: number;
  /** pairs left out because the output (or target) is not finite (a diverged run sends None) */
  nonFinite: number;
  rmse: number;
  mae: number;
  /** coefficient of determination; null when the targets do not vary */
  r2: number | null;
}

export function regressionSummary(
  target: readonly number[],
  predicted: readonly number[],
): RegressionSummary | null {
  const pairs: [number, number][] = [];
  const m = Math.min(target.length, predicted.length);
  for (let i = 0; i < m; i++) {
    if (Number.isFinite(target[i]) && Number.isFinite(predicted[i])) pairs.push([target[i]!, predicted[i]!]);
  }
  const n = pairs.length;
  if (n === 0) return m > 0 ? { n: 0, nonFinite: m, rmse: Number.NaN, mae: Number.NaN, r2: null } : null;
  const mean = pairs.reduce((s, [t]) => s + t, 0) / n;
  let se = 0;
  let ae = 0;
  let ss = 0;
  for (const [t, p] of pairs) {
    se += (p - t) ** 2;
    ae += Math.abs(p - t);
    ss += (t - mean) ** 2;
  }
  return { n, nonFinite: m - n, rmse: Math.sqrt(se / n), mae: ae / n, r2: ss > 0 ? 1 - se / ss : null };
}

/** One range for both axes (so y = x is the diagonal), padded by 5 %; finite values only. */
export function scatterRange(target: readonly number[], predicted: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...target, ...predicted]) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** Round tick values (1, 2, 5 × 10^k apart) inside [lo, hi], about `count` intervals apart. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const target = Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10((hi - lo) / target));
  // the 1-2-5 spacing whose number of intervals comes closest to `count`
  const steps = [1, 2, 5, 10].map((m) => m * mag);
  const miss = (s: number) => Math.abs((hi - lo) / s - target);
  const step = steps.reduce((best, s) => (miss(s) < miss(best) ? s : best));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return out;
}
