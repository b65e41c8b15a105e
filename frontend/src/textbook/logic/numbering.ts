/**
 * The book's neuron numbering and weight names (Kelleher et al., ch. 8). Neurons are numbered
 * through the network: inputs 1..n, then each layer's neurons continue the count. w_{i,k} is the
 * weight on the edge from neuron k into neuron i; k = 0 is the bias (its input is always 1).
 * Glassnet keeps `weights [out][in]` and `bias [out]` apart; the book's matrix for a layer has one
 * row per neuron with the bias in column 0 and the previous layer's neurons in columns 1..n.
 */

export interface Numbering {
  /** neuron numbers of the inputs: 1..n */
  inputs: number[];
  /** neuron numbers of each layer, in order */
  layers: number[][];
}

export function numberNeurons(inputSize: number, layerSizes: readonly number[]): Numbering {
  const inputs = Array.from({ length: inputSize }, (_, i) => i + 1);
  const layers: number[][] = [];
  let next = inputSize + 1;
  for (const size of layerSizes) {
    layers.push(Array.from({ length: size }, (_, i) => next + i));
    next += size;
  }
  return { inputs, layers };
}

/** Neuron numbers feeding layer `l` (the inputs for the first layer). */
export function sourcesOf(numbering: Numbering, l: number): number[] {
  return l === 0 ? numbering.inputs : (numbering.layers[l - 1] ?? []);
}

/** "w8,6" style label (plain text, for tables and test ids). */
export function weightName(i: number, k: number): string {
  return `w${i},${k}`;
}

/** One weight of a layer, in Glassnet's storage and in the book's names. */
export interface WeightRef {
  /** receiving neuron (book number) */
  i: number;
  /** sending neuron (book number); 0 = bias */
  k: number;
  /** row in `weights` / index in `bias` */
  row: number;
  /** column in `weights`; -1 for the bias */
  col: number;
}

/** Every weight of layer `l`, neuron by neuron, bias first (the order of the book's tables). */
export function layerWeights(numbering: Numbering, l: number): WeightRef[] {
  const targets = numbering.layers[l] ?? [];
  const sources = sourcesOf(numbering, l);
  const out: WeightRef[] = [];
  targets.forEach((i, row) => {
    out.push({ i, k: 0, row, col: -1 });
    sources.forEach((k, col) => out.push({ i, k, row, col }));
  });
  return out;
}

/** All weights, output layer first and neurons in descending order, as Table 6 lists them. */
export function bookWeightOrder(numbering: Numbering): WeightRef[] {
  const out: WeightRef[] = [];
  for (let l = numbering.layers.length - 1; l >= 0; l--) {
    const refs = layerWeights(numbering, l);
    out.push(...refs.sort((x, y) => y.i - x.i || x.k - y.k));
  }
  return out;
}

/** The value of a weight from Glassnet's separate weights and bias. */
export function valueOf<T>(
  weights: readonly (readonly T[])[],
  bias: readonly T[],
  ref: WeightRef,
): T | undefined {
  return ref.col < 0 ? bias[ref.row] : weights[ref.row]?.[ref.col];
}

/** The book's matrix: rows = neurons, column 0 = bias, columns 1..n = the previous layer. */
export function bookMatrix<T>(weights: readonly (readonly T[])[], bias: readonly T[]): T[][] {
  return weights.map((row, r) => [bias[r] as T, ...row]);
}

/** Back from the book's matrix to Glassnet's weights [out][in] and bias [out]. */
export function fromBookMatrix<T>(matrix: readonly (readonly T[])[]): { weights: T[][]; bias: T[] } {
  return { weights: matrix.map((row) => row.slice(1)), bias: matrix.map((row) => row[0] as T) };
}

/** Which weight a cell (row, column) of the book's matrix of layer `l` is. */
export function matrixCell(numbering: Numbering, l: number, row: number, column: number): WeightRef {
  const i = numbering.layers[l]?.[row];
  if (i === undefined) throw new RangeError(`layer ${l} has no row ${row}`);
  if (column === 0) return { i, k: 0, row, col: -1 };
  const k = sourcesOf(numbering, l)[column - 1];
  if (k === undefined) throw new RangeError(`layer ${l} has no column ${column}`);
  return { i, k, row, col: column - 1 };
}

/** Column headers of the book's matrix of layer `l`: "bias (0)" then the source neurons. */
export function matrixColumns(numbering: Numbering, l: number): number[] {
  return [0, ...sourcesOf(numbering, l)];
}
