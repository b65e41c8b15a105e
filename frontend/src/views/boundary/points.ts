/**
 * Inputs of the decision-boundary view: the output grid of the frame's `boundary` channel and the data
 * points of the dataset preview (GET /datasets/preview: `points: {x, y, label, split}` in the same raw
 * 2-D coordinates as the boundary's x_range/y_range).
 */
import type { FlatGrid } from "../../charts/boundaryPlot";
import type { PreviewPoints } from "../../generated";
import { flattenGrid } from "../../charts/gridImage";
import type { BoundaryLike } from "../logic/frame";

export interface Point {
  x: number;
  y: number;
  /** class index (binary: 0/1) or the regression target */
  label: number;
  split: "train" | "test";
}

/** The data preview's points, read leniently: labels may be class names, the split may be missing. */
export type PointColumns = Omit<PreviewPoints, "label" | "split"> & {
  label?: ArrayLike<number | string> | null;
  split?: ArrayLike<string> | null;
};

/** Class labels may be names ("A", "B"): they are numbered in order of first appearance. */
export function readPoints(p: PointColumns | null | undefined): Point[] {
  if (!p || !p.x || !p.y) return [];
  const names = new Map<string, number>();
  const out: Point[] = [];
  const n = Math.min(p.x.length, p.y.length);
  for (let i = 0; i < n; i++) {
    const raw = p.label?.[i];
    let label: number;
    if (typeof raw === "number") label = raw;
    else if (typeof raw === "string") {
      const num = Number(raw);
      if (raw.trim() !== "" && Number.isFinite(num)) label = num;
      else {
        if (!names.has(raw)) names.set(raw, names.size);
        label = names.get(raw) as number;
      }
    } else label = 0;
    const split = p.split?.[i] === "train" || p.split === undefined || p.split === null ? "train" : "test";
    const x = Number(p.x[i]);
    const y = Number(p.y[i]);
    if (Number.isFinite(x) && Number.isFinite(y)) out.push({ x, y, label, split });
  }
  return out;
}

/** [lo, hi] of a range field, or null. */
export function rangeOf(r: ArrayLike<number> | null | undefined): [number, number] | null {
  if (!r || r.length < 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[1] <= r[0]) return null;
  return [r[0], r[1]];
}

/** Whether all values lie in [0, 1] — then they are probabilities and 0.5 is the decision threshold. */
export function isProbability(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v > 1) return false;
  }
  return true;
}

/**
 * TensorFlow Playground's "discretize output": each cell becomes the class it decides, so the
 * boundary reads as two flat regions. Probabilities flip at 0.5 (to 0 or 1), other outputs at 0
 * (to −1 or +1, the ends of their symmetric colour scale).
 */
export function discretized(values: ArrayLike<number>, probability: boolean): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = probability ? (v >= 0.5 ? 1 : 0) : v > 0 ? 1 : -1;
  }
  return out;
}

function isNested(v: unknown): v is ArrayLike<ArrayLike<number>> {
  const a = v as ArrayLike<unknown>;
  return !!a && a.length > 0 && typeof a[0] === "object" && a[0] !== null;
}

/** A flat square grid of side `res` (or the square root of its length), or a nested grid. */
export function asGrid(values: unknown, res?: number | null): FlatGrid | null {
  if (!values || typeof values !== "object" || !("length" in (values as object))) return null;
  if (isNested(values)) {
    const g = flattenGrid(values);
    return g.rows > 0 ? g : null;
  }
  const flat = values as ArrayLike<number>;
  const side = res && res > 0 ? res : Math.round(Math.sqrt(flat.length));
  if (side <= 0 || flat.length < side * side) return null;
  return { values: flat, rows: side, cols: side };
}

export interface OutputGrid {
  grid: FlatGrid;
  /** the grid holds class indices (multi-class argmax) */
  classIndex: boolean;
}

/** The boundary's output grid: `output` (binary/regression) or `classes` (multi-class argmax). */
export function outputGrid(b: BoundaryLike | null | undefined): OutputGrid | null {
  if (!b) return null;
  const out = asGrid(b.output, b.resolution);
  if (out) return { grid: out, classIndex: false };
  const cls = asGrid(b.classes, b.resolution);
  if (cls) return { grid: cls, classIndex: true };
  return null;
}
