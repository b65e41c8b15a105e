/**
 * Per-edge and per-unit values of the network diagram (pure). For dense layers of at most 1,024
 * weights the frame carries every weight (`W_values`, row-major W[out][in]) and each unit's mean
 * activation over the batch (`a_mean`); larger layers carry only summaries, and the diagram falls
 * back to one grey bundle per pair of columns.
 */
import { activationName, finite, type LayerLike } from "../logic/frame";
import { edgeStyle, type EdgeStyle } from "../logic/edgeStyle";

/** A layer's full weight matrix, or null when the frame does not carry it (or it does not fit n_in·n_out). */
export interface LayerWeights {
  values: ArrayLike<number>;
  nIn: number;
  nOut: number;
}

function numeric(v: unknown): v is ArrayLike<number> {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as ArrayLike<number>).length === "number" &&
    ((v as ArrayLike<number>).length === 0 || typeof (v as ArrayLike<number>)[0] === "number")
  );
}

export function layerWeights(layer: LayerLike | null | undefined): LayerWeights | null {
  if (!layer) return null;
  const v = layer.W_values;
  const nIn = layer.n_in;
  const nOut = layer.n_out;
  if (!numeric(v) || !finite(nIn) || !finite(nOut) || nIn < 1 || nOut < 1) return null;
  if (v.length !== nIn * nOut) return null;
  return { values: v, nIn, nOut };
}

/** Weight of the edge from input unit `from` to output unit `to`: W[to][from] = values[to·n_in + from]. */
export function edgeWeight(w: LayerWeights, from: number, to: number): number {
  if (from < 0 || to < 0 || from >= w.nIn || to >= w.nOut) return NaN;
  return w.values[to * w.nIn + from];
}

/** Each unit's mean activation, or null when absent or of the wrong length. */
export function unitMeans(layer: LayerLike | null | undefined): ArrayLike<number> | null {
  const v = layer?.a_mean;
  if (!numeric(v) || v.length === 0) return null;
  if (finite(layer?.n_out) && v.length !== layer.n_out) return null;
  return v;
}

/** Symmetric colour range for a layer's unit means: 1 for bounded activations, else the largest |mean|. */
export function meanRange(layer: LayerLike, means: ArrayLike<number>): number {
  const name = activationName(layer.activation);
  if (name === "sigmoid" || name === "logistic" || name === "softmax" || name === "tanh") return 1;
  let m = 0;
  for (let i = 0; i < means.length; i++) {
    const a = Math.abs(means[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m > 0 ? m : 1;
}

/** Largest finite |w| over the edges that are drawn (the first `shownIn` × `shownOut` units). */
export function maxAbsShown(w: LayerWeights, shownIn: number, shownOut: number): number {
  let m = 0;
  const ni = Math.min(shownIn, w.nIn);
  const no = Math.min(shownOut, w.nOut);
  for (let o = 0; o < no; o++) {
    for (let i = 0; i < ni; i++) {
      const a = Math.abs(w.values[o * w.nIn + i]);
      if (Number.isFinite(a) && a > m) m = a;
    }
  }
  return m;
}

/** Number of width levels edges are quantised to (per sign): one canvas stroke per level. */
export const EDGE_LEVELS = 8;

/**
 * Bucket of an edge: 0 for a non-finite weight or no scale, else ±(1..EDGE_LEVELS) by sign and |w|/maxAbs.
 * Quantising lets the painter stroke one path per bucket and skip redrawing when no bucket changed.
 */
export function edgeBucket(w: number, maxAbs: number): number {
  if (!Number.isFinite(w) || !(maxAbs > 0)) return 0;
  const t = Math.min(1, Math.abs(w) / maxAbs);
  const level = Math.max(1, Math.round(t * EDGE_LEVELS));
  return w >= 0 ? level : -level;
}

/** Style shared by every edge in a bucket (the edge style of the level's representative weight). */
export function bucketStyle(bucket: number): EdgeStyle {
  if (bucket === 0) return edgeStyle(NaN, 0);
  return edgeStyle(bucket / EDGE_LEVELS, 1);
}

/** "weights": every drawn pair of columns has per-edge weights; "bundles": none has; "mixed": some. */
export type EdgeMode = "weights" | "bundles" | "mixed";

/**
 * What to draw between columns i and i+1 (layer i's weights): per-edge buckets, indexed
 * [to · shownIn + from] over the drawn units, or null for a bundle. `maxAbs` is the largest drawn |w|
 * over all layers, so widths compare across layers.
 */
export interface EdgePlan {
  mode: EdgeMode;
  maxAbs: number;
  buckets: (Int8Array | null)[];
  /** changes exactly when some drawn bucket changes */
  key: string;
}

/**
 * The weights that can be drawn edge by edge: a layer's W only where its inputs are the units of the
 * column before it. A dense layer after a flatten (of conv maps) or a concat has other inputs than
 * that column's nodes, so its edges would name the wrong units: it is drawn as a bundle.
 */
export function drawableWeights(layers: readonly LayerLike[]): (LayerWeights | null)[] {
  return layers.map((layer, i) => {
    const w = layerWeights(layer);
    if (!w || i === 0) return w;
    return layers[i - 1].n_out === w.nIn ? w : null;
  });
}

export function edgePlan(layers: readonly LayerLike[], shown: readonly number[]): EdgePlan {
  const ws = drawableWeights(layers);
  let maxAbs = 0;
  ws.forEach((w, i) => {
    if (w) maxAbs = Math.max(maxAbs, maxAbsShown(w, shown[i], shown[i + 1]));
  });
  let perEdge = 0;
  let key = "";
  const buckets = ws.map((w, i) => {
    if (!w) {
      key += "|";
      return null;
    }
    perEdge++;
    const ni = shown[i];
    const no = shown[i + 1];
    const out = new Int8Array(ni * no);
    for (let o = 0; o < no; o++) {
      for (let f = 0; f < ni; f++) out[o * ni + f] = edgeBucket(edgeWeight(w, f, o), maxAbs);
    }
    key += "|" + String.fromCharCode(...Array.from(out, (b) => 74 + b));
    return out;
  });
  const mode: EdgeMode = perEdge === 0 ? "bundles" : perEdge === ws.length ? "weights" : "mixed";
  return { mode, maxAbs, buckets, key };
}
