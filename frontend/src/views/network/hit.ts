/**
 * What the pointer is over in the network diagram (pure): tested against the geometry the painter drew
 * (node squares, edge segments from the right side of a node to the left side of the next column's
 * node), so the hover always names what is under the pointer. Nodes are tested first; then the nearest
 * edge within a few pixels. A few hundred segments at most, so a linear scan is cheap enough for every
 * pointer move and every frame.
 */
import type { ColumnLayout } from "./layout";

/** Pixels either side of an edge's centre line (or around a node) that still count as on it. */
export const HIT_TOLERANCE = 4;

/**
 * What the painter drew: the columns (input + one per weighted layer), the node side, and for each pair
 * of columns i → i+1 (layer i's weights) either the bucket of every drawn edge, indexed
 * [to · shown_i + from] as in `edgePlan`, or null when the pair is drawn as one bundle.
 */
export interface HitGeometry {
  columns: readonly ColumnLayout[];
  node: number;
  buckets: readonly (ArrayLike<number> | null)[];
}

export type Hit =
  /** a node: `column` 0 is the input, column k is weighted layer k − 1; `unit` counts from 0 */
  | { kind: "node"; column: number; unit: number }
  /** one weight of weighted layer `layer` (between columns layer and layer + 1): W[to][from] */
  | { kind: "edge"; layer: number; from: number; to: number }
  /** the bundle standing for all of weighted layer `layer`'s weights */
  | { kind: "bundle"; layer: number };

/** A stable name for a hit (equal hits, equal keys); "" for nothing. */
export function hitKey(hit: Hit | null): string {
  if (!hit) return "";
  if (hit.kind === "node") return `node:${hit.column}:${hit.unit}`;
  if (hit.kind === "edge") return `edge:${hit.layer}:${hit.from}:${hit.to}`;
  return `bundle:${hit.layer}`;
}

/** Euclidean distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function segmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Stacking order of an edge bucket as the painter strokes them: the neutral bucket 0 first, then for
 * each width level the positive bucket and then the negative one, so stronger edges lie on top.
 */
export function bucketOrder(bucket: number): number {
  if (bucket === 0 || !Number.isFinite(bucket)) return 0;
  const level = Math.abs(bucket);
  return bucket > 0 ? 2 * level - 1 : 2 * level;
}

/** Distances closer than this are the same distance (two edges crossing under the pointer). */
const TIE = 1e-6;

/**
 * What is under the point (x, y) in CSS pixels of the canvas, or null for empty space.
 * - A node wins over any edge: the pointer inside a node's square (grown by 1 px) hits the node; where
 *   squares overlap (very short canvases), the one whose centre is nearest, and on a tie the one drawn
 *   later (on top).
 * - Else the edge whose segment is nearest, if within `tolerance`. Where edges cross, the one drawn on
 *   top (the stronger |w|, see `bucketOrder`) wins; on a full tie the first in drawing order
 *   (lower layer, then lower `to`, then lower `from`).
 * - A pair of columns drawn as a bundle answers as one bundle when any of its lines is near enough.
 */
export function hitTest(geo: HitGeometry, x: number, y: number, tolerance = HIT_TOLERANCE): Hit | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const half = geo.node / 2;

  let node: Hit | null = null;
  let nodeDist = Infinity;
  geo.columns.forEach((col, column) => {
    for (const n of col.nodes) {
      if (Math.abs(x - n.x) > half + 1 || Math.abs(y - n.y) > half + 1) continue;
      const d = Math.hypot(x - n.x, y - n.y);
      if (d <= nodeDist + TIE) {
        node = { kind: "node", column, unit: n.unit };
        nodeDist = d;
      }
    }
  });
  if (node) return node;

  let best: Hit | null = null;
  let bestDist = Infinity;
  let bestOrder = -1;
  for (let layer = 0; layer + 1 < geo.columns.length; layer++) {
    const from = geo.columns[layer];
    const to = geo.columns[layer + 1];
    const x0 = from.x + half;
    const x1 = to.x - half;
    if (x < Math.min(x0, x1) - tolerance || x > Math.max(x0, x1) + tolerance) continue;
    const buckets = layer < geo.buckets.length ? geo.buckets[layer] : null;
    for (const c of to.nodes) {
      for (const a of from.nodes) {
        const d = segmentDistance(x, y, x0, a.y, x1, c.y);
        if (d > tolerance) continue;
        const order = buckets ? bucketOrder(buckets[c.unit * from.shown + a.unit]) : 0;
        const nearer = d < bestDist - TIE;
        const tiedAbove = Math.abs(d - bestDist) <= TIE && order > bestOrder;
        if (!nearer && !tiedAbove) continue;
        best = buckets ? { kind: "edge", layer, from: a.unit, to: c.unit } : { kind: "bundle", layer };
        bestDist = d;
        bestOrder = order;
      }
    }
  }
  return best;
}
