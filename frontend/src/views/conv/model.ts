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
  const values = inp?.values;
  if (!inp || !values) return null;
  const d = dims(inp.shape);
  const [c, h, w] = d.length === 3 ? d : d.length === 2 ? [1, d[0], d[1]] : [0, 0, 0];
  if (!(c > 0 && h > 0 && w > 0) || values.length < c * h * w) return null;
  if (c === 1) return { values, n: 1, rows: h, cols: w };
  return { values: meanPlanes(values, 1, c, h * w), n: 1, rows: h, cols: w };
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

export interface PatchProducts {
  /** kernel rows × cols of input values (0 where the field reaches into padding), summed over channels of w·x */
  x: number[][];
  w: number[][];
  products: number[][];
  /** Σ w·x over the field (and every input channel); z = sum + b, and b is not in the frame */
  sum: number;
  /** input channels summed over (x and w above show channel 0 when there are several) */
  channels: number;
}

/**
 * The products w·x behind one cell of a first-layer conv map — the lecture's "9 products and the sum"
 * (a 3×3 horizontal-line filter over rows 2–4, cols 1–3 of the "4" gives 765). Only for a conv layer
 * that reads the input image directly; null otherwise.
 */
export function patchProducts(
  fm: FeatureMapsLike | null | undefined,
  layerId: string,
  index: number,
  row: number,
  col: number,
): PatchProducts | null {
  const layers = mapLayers(fm);
  const first = layers[0];
  const image = fm?.input?.values;
  if (!fm?.input || !image || !first || first.id !== layerId || first.kind !== "conv2d") return null;
  const [o, c, kh, kw] = dims(first.filter_shape);
  const f = first.filters;
  const [ic, ih, iw] = dims(fm.input.shape);
  if (!f || !(index >= 0 && index < o) || c !== ic || !(kh > 0 && kw > 0)) return null;
  const op = opsUpTo(fm, layerId)[0];
  const r0 = row * op.stride[0] - op.padding[0];
  const c0 = col * op.stride[1] - op.padding[1];
  const x: number[][] = [];
  const w: number[][] = [];
  const products: number[][] = [];
  let sum = 0;
  for (let i = 0; i < kh; i++) {
    x.push([]);
    w.push([]);
    products.push([]);
    for (let j = 0; j < kw; j++) {
      let p = 0;
      for (let ch = 0; ch < c; ch++) {
        const rr = r0 + i;
        const cc = c0 + j;
        const xv = rr >= 0 && rr < ih && cc >= 0 && cc < iw ? image[(ch * ih + rr) * iw + cc] : 0;
        const wv = f[((index * c + ch) * kh + i) * kw + j];
        p += wv * xv;
        if (ch === 0) {
          x[i].push(xv);
          w[i].push(wv);
        }
      }
      products[i].push(p);
      sum += p;
    }
  }
  return { x, w, products, sum, channels: c };
}

/** A clicked feature-map cell: only where it is, so its numbers can be read from whichever frame is shown. */
export interface MapCell {
  layer: string;
  index: number;
  row: number;
  col: number;
}

/** One key per cell, for redrawing and re-reading when the selection changes. */
export function cellKey(cell: MapCell | null): string {
  return cell ? `${cell.layer}/${cell.index}/${cell.row}/${cell.col}` : "";
}

/** What the card under the maps shows for the selected cell, all read from the same frame. */
export interface CellReadout {
  /** step of the frame the numbers come from */
  step: number | null;
  /** a = φ(z) at the cell; null when this frame has no such cell (another network, fewer maps) */
  a: number | null;
  /** the products w·x behind a (first conv layer only) */
  products: PatchProducts | null;
}

/** Read the selected cell's a and products w·x from one frame's feature maps. */
export function readCell(
  fm: FeatureMapsLike | null | undefined,
  step: number | null,
  cell: MapCell,
): CellReadout {
  const layer = mapLayers(fm).find((l) => l.id === cell.layer);
  const maps = layer ? mapsOf(layer) : null;
  const inside =
    maps !== null &&
    cell.index >= 0 &&
    cell.index < maps.n &&
    cell.row >= 0 &&
    cell.row < maps.rows &&
    cell.col >= 0 &&
    cell.col < maps.cols;
  if (!inside) return { step, a: null, products: null };
  return {
    step,
    a: Number(maps.values[(cell.index * maps.rows + cell.row) * maps.cols + cell.col]),
    products: patchProducts(fm, cell.layer, cell.index, cell.row, cell.col),
  };
}

/*
 * The view's column headings, longest wording first: each is drawn in the longest wording that fits
 * its column (charts/fitText), so a narrow layout says less instead of losing the end.
 */

/** Heading over the input image: which example, and its label when the frame says it. */
export function inputHeadings(example: number | null | undefined, label: unknown): string[] {
  const n = `#${example ?? 0}`;
  const known = label !== undefined && label !== null && label !== "";
  return known
    ? [`input ${n} (label ${String(label)})`, `${n} (label ${String(label)})`, `input ${n}`, n]
    : [`input ${n}`, n];
}

/** Heading over the filters: each filter itself, or its mean over the input channels. */
export function filterHeadings(meanOverInputs: boolean): string[] {
  return meanOverInputs
    ? [
        "filters W (mean over input channels)",
        "filters W (mean over inputs)",
        "filters W (mean)",
        "filters W",
      ]
    : ["filters W"];
}

/** Heading over the feature maps: whose maps, how they are scaled, and that a cell can be clicked. */
export function mapHeadings(layer: { id: string; kind: string }): string[] {
  const id = layer.id;
  return [
    `feature maps of ${id} (${layer.kind}), each scaled to its max — click a cell`,
    `feature maps of ${id}, each scaled to its max — click a cell`,
    `maps of ${id}, each scaled to its max — click a cell`,
    `${id} maps, each to its max — click a cell`,
    `${id} maps — click a cell`,
    `${id} maps`,
  ];
}
