/**
 * The input features of a 2-D set over the input plane (pure), for the network diagram's input nodes:
 * as in TensorFlow Playground each input node shows its feature — x a left-to-right ramp, x² a bowl
 * along x, sin x stripes — next to the hidden neurons' own maps of the same plane.
 */
import type { DatasetSpec } from "../../catalog/types";
import { FEATURES_2D, type DataSpec, type Feature2D } from "../../spec/types";
import { finite, type BoundaryLike, type LayerLike } from "../logic/frame";
import { rangeOf } from "../boundary/points";

/** Side of a feature's grid: the hidden neurons' thumbnails (boundary.neuron_resolution) are 16×16. */
export const FEATURE_RESOLUTION = 16;

/** A feature at the raw 2-D point (x, y), as glassnet.data.toy2d.FEATURES computes it. */
export function featureValue(f: Feature2D, x: number, y: number): number {
  switch (f) {
    case "x":
      return x;
    case "y":
      return y;
    case "x2":
      return x * x;
    case "y2":
      return y * y;
    case "xy":
      return x * y;
    case "sin_x":
      return Math.sin(x);
    case "sin_y":
      return Math.sin(y);
  }
}

function isFeature(f: unknown): f is Feature2D {
  return typeof f === "string" && (FEATURES_2D as readonly string[]).includes(f);
}

/**
 * The network's inputs where the data spec chooses 2-D features (the catalog's default when it does
 * not), in the order the network receives them: the server stacks the chosen features in the canonical
 * order x, y, x², y², x·y, sin x, sin y (glassnet.data.toy2d.featurize) whatever order the spec lists
 * them in, once each. Null for data without features, or before the catalog arrived.
 */
export function inputFeatures(
  data: DataSpec | null | undefined,
  datasets: readonly DatasetSpec[],
): Feature2D[] | null {
  const info = datasets.find((d) => d.name === (data?.dataset ?? "circle"));
  const param = info?.params.find((p) => p.name === "features");
  if (!param) return null;
  const chosen: unknown = data?.features ?? param.default;
  if (!Array.isArray(chosen)) return null;
  const features = FEATURES_2D.filter((f) => chosen.includes(f));
  // a name the server does not know means the spec is not one it ran: no names rather than wrong ones
  return features.length > 0 && chosen.every(isFeature) ? features : null;
}

/**
 * Feature `f` over a res × res grid of the plane x_range × y_range, flat and row-major with row 0 at
 * y_range[0] (the bottom), as the frame's boundary grids are. The points are those the server feeds
 * the network for the neurons' thumbnails (glassnet.engine.boundary.grid_points: res evenly spaced
 * centres from lo to hi on each axis), so a hidden unit that copies x looks exactly like x.
 */
export function featureGrid(
  f: Feature2D,
  xRange: readonly [number, number],
  yRange: readonly [number, number],
  res = FEATURE_RESOLUTION,
): Float64Array {
  const out = new Float64Array(res * res);
  const at = (range: readonly [number, number], i: number) =>
    res > 1 ? range[0] + ((range[1] - range[0]) * i) / (res - 1) : (range[0] + range[1]) / 2;
  for (let r = 0; r < res; r++) {
    const y = at(yRange, r);
    for (let c = 0; c < res; c++) out[r * res + c] = featureValue(f, at(xRange, c), y);
  }
  return out;
}

/** What the input column draws its thumbnails from. */
export interface InputPlane {
  /** one per input node, in order */
  features: Feature2D[];
  xRange: [number, number];
  yRange: [number, number];
  /** side of each grid: the hidden neurons' thumbnails' */
  res: number;
}

/**
 * The plane the input nodes show their features over, or null when they should stay plain: only where
 * the frame draws the hidden neurons over the plane too (2-D data with a boundary) and the features are
 * exactly the network's inputs — one per drawn input node, as many as the first dense layer's n_in (a
 * spec edited since its run started may name other features than the frame was computed with).
 */
export function inputPlane(
  b: BoundaryLike | null | undefined,
  features: readonly Feature2D[] | null | undefined,
  first: LayerLike | null | undefined,
  shownInputs: number,
): InputPlane | null {
  if (!b || !b.neurons || typeof b.neurons !== "object" || !features || features.length === 0) return null;
  const xRange = rangeOf(b.x_range);
  const yRange = rangeOf(b.y_range);
  if (!xRange || !yRange) return null;
  if (!first || first.kind !== "dense" || !finite(first.n_in) || first.n_in !== features.length) return null;
  if (shownInputs !== features.length) return null;
  const nr = b.neuron_resolution;
  const res = finite(nr) && nr >= 2 && nr <= 64 ? Math.round(nr) : FEATURE_RESOLUTION;
  return { features: [...features], xRange, yRange, res };
}
