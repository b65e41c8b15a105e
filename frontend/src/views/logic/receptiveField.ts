/**
 * Receptive field of one cell of a feature map on the network's input: which input pixels can influence it.
 *
 * One conv/pool op with kernel k, stride s and zero padding p maps output index i to input indices
 * [i·s − p, i·s − p + k − 1] (lecture: 6×6 input, 3×3 filter, stride 1 → output (1, 0) sees rows 1–3,
 * cols 0–2, i.e. "rows 2–4 × cols 1–3" counted from 1). A chain of ops is walked from the chosen layer
 * back to the input, widening the interval at each step. Indices outside [0, size) are padding pixels.
 */

export interface Op2d {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

export interface Field {
  /** unclipped input rows/cols [r0, r1] and [c0, c1], inclusive; may extend into padding */
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

export interface ClippedField extends Field {
  /** true when the unclipped field reaches into zero padding */
  touchesPadding: boolean;
}

export function pair(v: number | readonly number[] | null | undefined, dflt: number): [number, number] {
  if (v === null || v === undefined) return [dflt, dflt];
  if (typeof v === "number") return [v, v];
  return [v[0] ?? dflt, v[1] ?? v[0] ?? dflt];
}

/** Op from a RunSpec node (conv2d / maxpool2d / avgpool2d). Pooling defaults: stride = kernel. */
export function opFromNode(node: {
  kind?: string;
  kernel?: number | number[];
  stride?: number | number[];
  padding?: number | number[];
}): Op2d | null {
  const kind = node.kind ?? "";
  if (kind !== "conv2d" && kind !== "maxpool2d" && kind !== "avgpool2d") return null;
  const kernel = pair(node.kernel, kind === "conv2d" ? 3 : 2);
  const stride = pair(node.stride, kind === "conv2d" ? 1 : kernel[0]);
  if (node.stride === undefined && kind !== "conv2d") stride[1] = kernel[1];
  const padding = pair(node.padding, 0);
  return { kernel, stride, padding };
}

/**
 * When the hyper-parameters are unknown, infer a stride-1, unpadded op from the sizes
 * (k = in − out + 1); good enough to highlight a plausible field.
 */
export function inferOp(inH: number, inW: number, outH: number, outW: number): Op2d {
  return {
    kernel: [Math.max(1, inH - outH + 1), Math.max(1, inW - outW + 1)],
    stride: [1, 1],
    padding: [0, 0],
  };
}

/** Field of output cell (row, col) through `ops`, ordered input → chosen layer. */
export function receptiveField(ops: readonly Op2d[], row: number, col: number): Field {
  let r0 = row;
  let r1 = row;
  let c0 = col;
  let c1 = col;
  for (let i = ops.length - 1; i >= 0; i--) {
    const { kernel, stride, padding } = ops[i];
    r0 = r0 * stride[0] - padding[0];
    r1 = r1 * stride[0] - padding[0] + kernel[0] - 1;
    c0 = c0 * stride[1] - padding[1];
    c1 = c1 * stride[1] - padding[1] + kernel[1] - 1;
  }
  return { r0, r1, c0, c1 };
}

export function clipField(f: Field, h: number, w: number): ClippedField {
  return {
    r0: Math.max(0, f.r0),
    r1: Math.min(h - 1, f.r1),
    c0: Math.max(0, f.c0),
    c1: Math.min(w - 1, f.c1),
    touchesPadding: f.r0 < 0 || f.c0 < 0 || f.r1 > h - 1 || f.c1 > w - 1,
  };
}

/** Output size of one op: floor((n + 2p − k)/s) + 1. */
export function outSize(n: number, k: number, s: number, p: number): number {
  return Math.floor((n + 2 * p - k) / s) + 1;
}

/** Which cell of a map drawn in a w×h box at (0,0) a point (x, y) in that box falls on, or null. */
export function cellAt(
  x: number,
  y: number,
  boxW: number,
  boxH: number,
  rows: number,
  cols: number,
): { row: number; col: number } | null {
  if (x < 0 || y < 0 || x >= boxW || y >= boxH || rows < 1 || cols < 1) return null;
  return { row: Math.floor((y / boxH) * rows), col: Math.floor((x / boxW) * cols) };
}
