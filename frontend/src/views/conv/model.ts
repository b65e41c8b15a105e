/**
 * The `feature_maps` channel (glassnet.engine.features) turned into what the conv view draws: the chosen
 * example's input image, each conv/pool layer's maps and filters, and the receptive field of a clicked
 * map cell on the input. Pure (typed arrays in, typed arrays out).
 */
import type { FeatureMapsLike, MapLayerLike } from "../logic/frame";
import { clipField, opFromNode, receptiveField, type ClippedField, type Op2d } from "../logic/receptiveField";

export interface Planes {
  values: ArrayLike<number>;
  /** number of planes (channels) */
  n: number;
  rows: number;
  cols: number;
}

function dims(shape: ArrayLike<number> | null | undefined): number[] {
  return shape ? Array.from(shape, (v) => Number(v)) : [];
}

export function mapLayers(fm: FeatureMapsLike | null | undefined): MapLayerLike[] {
  return (fm?.layers ?? []).filter((l) => l && l.maps && l.shape);
}

/** The layer's maps as planes [channels][h][w]. */
export function mapsOf(layer: MapLayerLike): Planes | null {
  const [c, h, w] = dims(layer.shape);
  if (!(c > 0 && h > 0 && w > 0) || layer.maps.length < c * h * w) return null;
  return { values: layer.maps, n: c, rows: h, cols: w };
}

/** Mean over a leading axis of `k` planes of size `size`, for each of `n` groups. */
function meanPlanes(values: ArrayLike<number>, n: number, k: number, size: number): Float64Array {
  const out = new Float64Array(n * size);
  for (let g = 0; g < n; g++) {
    for (let j = 0; j < k; j++) {
      const base = (g * k + j) * size;
      for (let i = 0; i < size; i++) out[g * size + i] += values[base + i] / k;
    }
  }
  return out;
}

/**
 * The conv layer's filters as one plane each: the filter itself for a single input channel, the mean
 * over input channels otherwise (so a 16-channel filter still reads as one pattern).
 */
export function filtersOf(layer: MapLayerLike): (Planes & { meanOverInputs: boolean }) | null {
  const [o, i, kh, kw] = dims(layer.filter_shape);
  const f = layer.filters;
  if (!f || !(o > 0 && i > 0 && kh > 0 && kw > 0) || f.length < o * i * kh * kw) return null;
  if (i === 1) return { values: f, n: o, rows: kh, cols: kw, meanOverInputs: false };
  return { values: meanPlanes(f, o, i, kh * kw), n: o, rows: kh, cols: kw, meanOverInputs: true };
}

/** The example image as one plane (mean over colour channels when there are several). */
export function inputImage(fm: FeatureMapsLike | null | undefined): Planes | null {
  const inp = fm?.input;
  if (!inp) return null;
  const d = dims(inp.shape);
  const [c, h, w] = d.length === 3 ? d : d.length === 2 ? [1, d[0], d[1]] : [0, 0, 0];
  if (!(c > 0 && h > 0 && w > 0) || inp.values.length < c * h * w) return null;
  if (c === 1) return { values: inp.values, n: 1, rows: h, cols: w };
  return { values: meanPlanes(inp.values, 1, c, h * w), n: 1, rows: h, cols: w };
}

/** Spatial ops from the input up to and including `layerId`, in network order. */
export function opsUpTo(fm: FeatureMapsLike | null | undefined, layerId: string): Op2d[] {
  const ops: Op2d[] = [];
  for (const l of mapLayers(fm)) {
    const op = opFromNode({
      kind: l.kind,
      kernel: toPair(l.kernel),
      stride: toPair(l.stride),
      padding: toPair(l.padding),
    });
    if (op) ops.push(op);
    if (l.id === layerId) break;
  }
  return ops;
}

function toPair(v: number | ArrayLike<number> | null | undefined): number | number[] | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === "number" ? v : Array.from(v);
}

/** Receptive field of cell (row, col) of `layerId` on the input image, clipped to it. */
export function fieldOnInput(
  fm: FeatureMapsLike | null | undefined,
  layerId: string,
  row: number,
  col: number,
): ClippedField | null {
  const img = inputImage(fm);
  if (!img) return null;
  const ops = opsUpTo(fm, layerId);
  if (ops.length === 0) return null;
  return clipField(receptiveField(ops, row, col), img.rows, img.cols);
}
