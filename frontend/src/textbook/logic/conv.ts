/**
 * Index arithmetic of the convolution walk-through: where each output cell's receptive field lies in
 * the (padded) input, which of its pixels are padding, how often each pixel is covered, the pooling
 * windows and their winners, δ routed through max pooling, and the shared-weight gradient as a sum
 * over the cells (neurons) that use the filter. Cross-correlation, row-major, as torch and the slides.
 */

export type Pair = [number, number];

/** out = ⌊(n + 2p − f)/s⌋ + 1 */
export function outputSize(n: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((n + 2 * padding - kernel) / stride) + 1;
}

export interface Geometry {
  /** input height and width (unpadded) */
  size: Pair;
  kernel: Pair;
  stride: Pair;
  padding: Pair;
}

export function outputShape(g: Geometry): Pair {
  return [
    outputSize(g.size[0], g.kernel[0], g.stride[0], g.padding[0]),
    outputSize(g.size[1], g.kernel[1], g.stride[1], g.padding[1]),
  ];
}

/** One pixel of a receptive field: its place in the padded image and in the real input. */
export interface FieldPixel {
  /** position inside the kernel */
  i: number;
  j: number;
  /** row/column in the padded image */
  pr: number;
  pc: number;
  /** row/column in the unpadded input (may lie outside for padding pixels) */
  r: number;
  c: number;
  padding: boolean;
}

/** The kernel's pixels for output cell (row, col), row-major (w_1 top-left … w_9 bottom-right). */
export function receptiveField(g: Geometry, row: number, col: number): FieldPixel[] {
  const out: FieldPixel[] = [];
  for (let i = 0; i < g.kernel[0]; i++) {
    for (let j = 0; j < g.kernel[1]; j++) {
      const pr = row * g.stride[0] + i;
      const pc = col * g.stride[1] + j;
      const r = pr - g.padding[0];
      const c = pc - g.padding[1];
      out.push({ i, j, pr, pc, r, c, padding: r < 0 || c < 0 || r >= g.size[0] || c >= g.size[1] });
    }
  }
  return out;
}

/** Whether pixel (pr, pc) of the padded image is a padding ("imaginary") pixel. */
export function isPaddingPixel(g: Geometry, pr: number, pc: number): boolean {
  const r = pr - g.padding[0];
  const c = pc - g.padding[1];
  return r < 0 || c < 0 || r >= g.size[0] || c >= g.size[1];
}

/** Output cells in the order the filter visits them (row-major). */
export function cellOrder(shape: Pair): Pair[] {
  const out: Pair[] = [];
  for (let r = 0; r < shape[0]; r++) for (let c = 0; c < shape[1]; c++) out.push([r, c]);
  return out;
}

/** How many receptive fields cover each real input pixel (1 at a corner, 9 in the middle for 3×3). */
export function coverage(g: Geometry): number[][] {
  const counts = Array.from({ length: g.size[0] }, () => new Array<number>(g.size[1]).fill(0));
  for (const [row, col] of cellOrder(outputShape(g))) {
    for (const p of receptiveField(g, row, col)) if (!p.padding) counts[p.r]![p.c]! += 1;
  }
  return counts;
}

/** Σ w_j · x_j (+ b) of one receptive field, for checking the trace's products. */
export function fieldSum(products: readonly number[], bias = 0): number {
  return products.reduce((s, v) => s + v, bias);
}

/** The input cells of pooling window (row, col), clipped to the map (padding never wins). */
export function poolWindow(g: Geometry, row: number, col: number): Pair[] {
  return receptiveField(g, row, col)
    .filter((p) => !p.padding)
    .map((p) => [p.r, p.c] as Pair);
}

/** The first maximum in row-major order (torch's tie rule) of a window's values. */
export function firstMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Winner of every pooling window of `map` (row, col in the map), computed the way torch does. */
export function poolWinners(map: readonly (readonly number[])[], g: Geometry): Pair[][] {
  const [h, w] = outputShape(g);
  return Array.from({ length: h }, (_, row) =>
    Array.from({ length: w }, (_, col) => {
      const cells = poolWindow(g, row, col);
      return cells[firstMax(cells.map(([r, c]) => map[r]![c]!))]!;
    }),
  );
}

/**
 * Backward through max pooling: each pooled neuron's δ goes to its window's winner only; every other
 * cell gets 0. (Overlapping windows add up.) Returns ∂E/∂a on the pooled layer's input map.
 */
export function routeDelta(
  delta: readonly (readonly number[])[],
  winners: readonly (readonly Pair[])[],
  size: Pair,
): number[][] {
  const out = Array.from({ length: size[0] }, () => new Array<number>(size[1]).fill(0));
  winners.forEach((row, i) =>
    row.forEach(([r, c], j) => {
      out[r]![c]! += delta[i]?.[j] ?? 0;
    }),
  );
  return out;
}

/** The pooling window (row, col) that contains input cell (r, c), for non-overlapping pooling. */
export function windowOf(g: Geometry, r: number, c: number): Pair {
  return [Math.floor((r + g.padding[0]) / g.stride[0]), Math.floor((c + g.padding[1]) / g.stride[1])];
}

/** One neuron's share of the shared-weight gradient: δ_n × its patch. */
export interface Contribution {
  cell: Pair;
  delta: number;
  /** [kh][kw] for one input channel */
  patch: number[][];
}

/**
 * ΔW[r][c] = Σ_n δ_n · patch_n[r][c] over the cells n that share the filter (one channel), with the
 * cells whose δ is not zero listed separately so the sum can be shown term by term.
 */
export function sharedWeightGradient(
  delta: readonly (readonly number[])[],
  patches: readonly (readonly (readonly (readonly number[])[])[])[],
): { contributions: Contribution[]; sum: number[][] } {
  const contributions: Contribution[] = [];
  let sum: number[][] | null = null;
  delta.forEach((row, r) =>
    row.forEach((d, c) => {
      const patch = patches[r]?.[c];
      if (!patch) return;
      sum ??= patch.map((pr) => pr.map(() => 0));
      patch.forEach((pr, i) =>
        pr.forEach((v, j) => {
          sum![i]![j]! += d * v;
        }),
      );
      if (d !== 0) contributions.push({ cell: [r, c], delta: d, patch: patch.map((pr) => [...pr]) });
    }),
  );
  return { contributions, sum: sum ?? [] };
}
