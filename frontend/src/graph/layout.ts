/**
 * Layered left-to-right layout: a node's column is its longest-path depth from a source; nodes in a
 * column are ordered by the mean row of their predecessors (one barycentre pass) and centred vertically.
 */
import type { LayerEdge, LayerNode } from "./types";

/**
 * A layer card's widest box (the card is capped at this width, see LayerNodeView) and a generous
 * height (head, size, detail and shape lines plus two problem lines). Columns and rows are spaced by
 * these plus room for the edges, so no two laid-out cards can overlap, however wide they grow.
 */
export const CARD_MAX_WIDTH = 240;
export const CARD_MAX_HEIGHT = 130;
export const COLUMN_GAP = CARD_MAX_WIDTH + 40;
export const ROW_GAP = CARD_MAX_HEIGHT + 30;
/** Every card is at least this tall (four lines of text), even the smallest. */
const CARD_MIN_HEIGHT = 60;
/**
 * A network deeper than this many columns wraps into bands, one under the next, rather than laying
 * out as one long row that the canvas (about 4:1 at 1280×720) can show only at an unreadable zoom.
 */
export const WRAP_AFTER_COLUMNS = 8;
const CANVAS_ASPECT = 4;
const BAND_GAP = 60;

type Point = { x: number; y: number };

/**
 * Whether some cards at these positions would cover each other: two top-left corners closer than a
 * wide card horizontally and a short card vertically. Positions from older links were spaced for
 * narrower cards; those are laid out afresh rather than shown stacked.
 */
export function cardsOverlap(positions: readonly Point[]): boolean {
  for (let i = 0; i < positions.length; i++) {
    for (let j = i + 1; j < positions.length; j++) {
      const a = positions[i]!;
      const b = positions[j]!;
      if (Math.abs(a.x - b.x) < CARD_MAX_WIDTH && Math.abs(a.y - b.y) < CARD_MIN_HEIGHT) return true;
    }
  }
  return false;
}

export function layeredLayout(
  nodes: readonly Pick<LayerNode, "id" | "position">[],
  edges: readonly Pick<LayerEdge, "source" | "target">[],
): Record<string, { x: number; y: number }> {
  const ids = nodes.map((n) => n.id);
  const known = new Set(ids);
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) if (known.has(e.source) && known.has(e.target)) preds.get(e.target)!.push(e.source);

  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const cached = depth.get(id);
    if (cached !== undefined) return cached;
    if (visiting.has(id)) return 0; // a cycle: the server reports it; do not recurse forever
    visiting.add(id);
    const d = Math.max(-1, ...preds.get(id)!.map(depthOf)) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  ids.forEach(depthOf);

  const columns: string[][] = [];
  for (const id of ids) (columns[depth.get(id)!] ??= []).push(id);
  const perBand = bandWidth(columns.map((column) => column?.length ?? 0));
  // each band's middle row; the first band's is 0, as an unwrapped layout's
  const bandMiddle: number[] = [];
  for (let c = 0, middle = 0, above = 0; c < columns.length; c += perBand) {
    const tallest = Math.max(1, ...columns.slice(c, c + perBand).map((column) => column?.length ?? 0));
    if (c > 0) middle += ((above + tallest) / 2) * ROW_GAP + BAND_GAP;
    bandMiddle.push(middle);
    above = tallest;
  }
  const row = new Map<string, number>();
  const out: Record<string, { x: number; y: number }> = {};
  columns.forEach((column, c) => {
    const key = (id: string) => {
      const p = preds.get(id)!.filter((q) => row.has(q));
      return p.length ? p.reduce((s, q) => s + row.get(q)!, 0) / p.length : ids.indexOf(id);
    };
    column.sort((a, b) => key(a) - key(b));
    column.forEach((id, r) => {
      row.set(id, r);
      out[id] = {
        x: (c % perBand) * COLUMN_GAP,
        y: bandMiddle[Math.floor(c / perBand)]! + (r - (column.length - 1) / 2) * ROW_GAP,
      };
    });
  });
  return out;
}

/**
 * How many columns a band holds: all of them up to WRAP_AFTER_COLUMNS; beyond, the number whose
 * bands, stacked, show largest on a canvas of CANVAS_ASPECT (the zoom that fits them is the smaller
 * of width and height's).
 */
function bandWidth(heights: readonly number[]): number {
  const n = heights.length;
  if (n <= WRAP_AFTER_COLUMNS) return Math.max(n, 1);
  let best = n;
  let bestZoom = 0;
  for (let k = WRAP_AFTER_COLUMNS; k <= n; k++) {
    let height = -BAND_GAP;
    for (let c = 0; c < n; c += k) height += Math.max(1, ...heights.slice(c, c + k)) * ROW_GAP + BAND_GAP;
    const zoom = Math.min(CANVAS_ASPECT / (k * COLUMN_GAP), 1 / height);
    if (zoom > bestZoom) [best, bestZoom] = [k, zoom];
  }
  return best;
}
