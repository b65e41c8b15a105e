/**
 * Layered left-to-right layout: a node's column is its longest-path depth from a source; nodes in a
 * column are ordered by the mean row of their predecessors (one barycentre pass) and centred vertically.
 */
import type { LayerEdge, LayerNode } from "./types";

export const COLUMN_GAP = 210;
export const ROW_GAP = 120;

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
      out[id] = { x: c * COLUMN_GAP, y: (r - (column.length - 1) / 2) * ROW_GAP };
    });
  });
  return out;
}
