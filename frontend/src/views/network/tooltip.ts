/**
 * The hover tooltip of the network diagram (pure): the exact numbers behind what the pointer is over,
 * read from the frame on screen, and where to put the box so it stays inside the canvas.
 *
 * Wording follows the lecture: w[h2] 3←5 is the weight into unit 3 of layer h2 from unit 5 of the layer
 * before it, i.e. W[3][5] of h2's weight matrix (rows = the layer's units). Units count from 1, as in
 * the inspector's weight table; layer names are the network's node ids.
 */
import type { DatasetSpec } from "../../catalog/types";
import { FEATURE_LABEL, type DataSpec } from "../../spec/types";
import { activationName, finite, type LayerLike } from "../logic/frame";
import { superscript } from "../../charts/format";
import { inputFeatures } from "./features";
import type { Hit, HitGeometry } from "./hit";
import { drawableWeights, edgeWeight, unitMeans } from "./weights";

export interface TooltipContent {
  /** first line, in bold: what it is (and an edge's value) */
  title: string;
  /** further lines */
  lines: string[];
}

export interface HoverContext {
  /** the frame's weighted layers, in column order (column k + 1 is layers[k]) */
  layers: readonly LayerLike[];
  /** step of the frame on screen */
  step?: number | null;
  /** names of the input features (e.g. x, y, x² of a 2-D set), used when there is one per input */
  inputNames?: readonly string[] | null;
}

/**
 * A number to 4 significant digits, trailing zeros kept ("0.5000"), with a real minus sign; written
 * m×10ⁿ outside [0.001, 10⁴) as the other labels (fmtNum) are.
 */
export function fmt4(x: number | null | undefined): string {
  if (x === null || x === undefined) return "–";
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const ax = Math.abs(x);
  const s = ax >= 1e-3 && ax < 1e4 ? x.toPrecision(4) : x.toExponential(3);
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return (m ? `${m[1]}×10${superscript(Number(m[2]))}` : s).replace("-", "−");
}

/**
 * Names of the network's inputs where the data spec says them: the chosen features of a 2-D set
 * (x, y, x², …; the catalog's default when none are chosen), in the order the network receives them
 * (features.ts inputFeatures). Null for other data.
 */
export function inputFeatureNames(
  data: DataSpec | null | undefined,
  datasets: readonly DatasetSpec[],
): string[] | null {
  return inputFeatures(data, datasets)?.map((f) => FEATURE_LABEL[f]) ?? null;
}

/** 8192 → "8,192". */
function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function unitWord(layer: LayerLike): string {
  return typeof layer.kind === "string" && layer.kind.startsWith("conv") ? "channel" : "unit";
}

function stepLine(step: number | null | undefined): string[] {
  return finite(step) ? [`step ${step}`] : [];
}

/** The input feature's name, when the names match the input one for one. */
function inputName(ctx: HoverContext, index: number): string | null {
  const names = ctx.inputNames;
  const nIn = ctx.layers[0]?.n_in;
  if (!names || !finite(nIn) || names.length !== nIn || index >= names.length) return null;
  return names[index] ?? null;
}

/** The unit an edge of layer `layer` starts from, in words: "input 1 (x)" or "unit 5 of h1". */
function edgeSource(ctx: HoverContext, layer: number, from: number): string {
  if (layer === 0) {
    const name = inputName(ctx, from);
    return `input ${from + 1}${name ? ` (${name})` : ""}`;
  }
  // edges are drawn one by one only where the layer's inputs are the previous layer's units
  // (drawableWeights): a dense layer after a flatten or concat is a bundle
  const prev = ctx.layers[layer - 1];
  return `${unitWord(prev)} ${from + 1} of ${prev.id}`;
}

function bundleContent(ctx: HoverContext, layer: number): TooltipContent | null {
  const l = ctx.layers[layer];
  if (!l) return null;
  const source = layer === 0 ? "the input" : (ctx.layers[layer - 1]?.id ?? "the layer before");
  const n = finite(l.n_in) && finite(l.n_out) ? l.n_in * l.n_out : null;
  return {
    title: `W[${l.id}] rms = ${fmt4(l.W?.stats?.rms)}`,
    lines: [
      `${n === null ? "the" : `all ${count(n)}`} weights from ${source} to ${l.id}, drawn as one bundle`,
      ...stepLine(ctx.step),
    ],
  };
}

function nodeContent(ctx: HoverContext, column: number, unit: number): TooltipContent | null {
  if (column === 0) {
    const first = ctx.layers[0];
    if (!first) return null;
    if (first.kind !== "dense" || !finite(first.n_in)) {
      return { title: "input", lines: [`feeds ${first.id}`, ...stepLine(ctx.step)] };
    }
    const name = inputName(ctx, unit);
    return {
      title: `input ${unit + 1}${name ? `: ${name}` : ""}`,
      lines: [`feature ${unit + 1} of ${first.n_in}, feeds ${first.id}`, ...stepLine(ctx.step)],
    };
  }
  const l = ctx.layers[column - 1];
  if (!l) return null;
  const lines: string[] = [];
  const means = unitMeans(l);
  if (means && unit < means.length) {
    lines.push(`mean a over the batch = ${fmt4(means[unit])}`);
  } else {
    // Larger layers send only summaries: the layer's mean, which also colours every node of it.
    const mean = l.a?.stats?.mean;
    const all = finite(l.n_out) ? `all ${count(l.n_out)} ${unitWord(l)}s` : "the layer";
    if (finite(mean)) lines.push(`mean a over the batch and ${all} = ${fmt4(mean)}`);
  }
  return {
    title: `${l.id} ${unitWord(l)} ${unit + 1} · ${activationName(l.activation)}`,
    lines: [...lines, ...stepLine(ctx.step)],
  };
}

/** What the tooltip says about `hit` in the frame on screen, or null when the frame has no such thing. */
export function tooltipContent(hit: Hit | null, ctx: HoverContext): TooltipContent | null {
  if (!hit) return null;
  if (hit.kind === "node") return nodeContent(ctx, hit.column, hit.unit);
  if (hit.kind === "bundle") return bundleContent(ctx, hit.layer);
  const l = ctx.layers[hit.layer];
  const w = drawableWeights(ctx.layers)[hit.layer] ?? null;
  if (!l) return null;
  if (!w) return bundleContent(ctx, hit.layer);
  return {
    title: `w[${l.id}] ${hit.to + 1}←${hit.from + 1} = ${fmt4(edgeWeight(w, hit.from, hit.to))}`,
    lines: [
      `from ${edgeSource(ctx, hit.layer, hit.from)} to ${unitWord(l)} ${hit.to + 1} of ${l.id}`,
      ...stepLine(ctx.step),
    ],
  };
}

/** What the tooltip should not cover: the hovered edge, or the hovered node. */
export interface Avoid {
  /** the hovered edge's dy/dx on screen (> 0: it runs down to the right) */
  slope?: number;
  /** the hovered node's left and right sides */
  span?: readonly [number, number];
}

/** What to keep clear for `hit` in the drawn geometry (nothing for a bundle, or a stale hit). */
export function avoidFor(geo: HitGeometry | null, hit: Hit | null): Avoid | undefined {
  if (!geo || !hit) return undefined;
  const half = geo.node / 2;
  if (hit.kind === "node") {
    const n = geo.columns[hit.column]?.nodes[hit.unit];
    return n ? { span: [n.x - half, n.x + half] } : undefined;
  }
  if (hit.kind === "bundle") return undefined;
  const a = geo.columns[hit.layer]?.nodes[hit.from];
  const c = geo.columns[hit.layer + 1]?.nodes[hit.to];
  if (!a || !c) return undefined;
  const dx = c.x - half - (a.x + half);
  return dx > 0 ? { slope: (c.y - a.y) / dx } : undefined;
}

/**
 * Top-left corner of a `tipW` × `tipH` box shown next to the pointer (px, py) inside a `boxW` × `boxH`
 * area, `gap` away from it. The first of these places where the box fits wholly, else the first one
 * clamped to the area (a box larger than the area sits at its left / top edge):
 * - beside a hovered node (`avoid.span`): right of the node, else left of it, centred on the pointer;
 * - beside a hovered edge (`avoid.slope`): on a side the edge does not run to, so it stays in sight:
 *   above-right or below-left of a line that runs down to the right, below-right or above-left of one
 *   that runs up; then the other two corners;
 * - otherwise below-right, above-right, below-left, above-left of the pointer.
 */
export function placeTooltip(
  px: number,
  py: number,
  tipW: number,
  tipH: number,
  boxW: number,
  boxH: number,
  avoid: Avoid = {},
  gap = 14,
): { left: number; top: number } {
  const span = avoid.span;
  const right = span ? Math.max(px, span[1]) + gap / 2 : px + gap;
  const left = (span ? Math.min(px, span[0]) - gap / 2 : px - gap) - tipW;
  const below = py + gap;
  const above = py - gap - tipH;
  const slope = avoid.slope ?? 0;
  let candidates: [number, number][];
  if (span) {
    const middle = Math.max(0, Math.min(py - tipH / 2, boxH - tipH));
    candidates = [
      [right, middle],
      [left, middle],
    ];
  } else if (slope > 0) {
    candidates = [
      [right, above],
      [left, below],
      [right, below],
      [left, above],
    ];
  } else if (slope < 0) {
    candidates = [
      [right, below],
      [left, above],
      [right, above],
      [left, below],
    ];
  } else {
    candidates = [
      [right, below],
      [right, above],
      [left, below],
      [left, above],
    ];
  }
  const fits = ([x, y]: [number, number]) => x >= 0 && y >= 0 && x + tipW <= boxW && y + tipH <= boxH;
  const [x, y] = candidates.find(fits) ?? candidates[0];
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(v, Math.max(0, hi)));
  return { left: clamp(x, boxW - tipW), top: clamp(y, boxH - tipH) };
}
