/**
 * Layout and colour scales of the read-only network diagram (pure): columns = input + layers, at most
 * MAX_UNITS nodes drawn per column (the rest summarised as "+n"), node size fitted to the box.
 */
import { activationName, finite, type ActivationLike, type LayerLike } from "../logic/frame";

export const MAX_UNITS = 12;

export interface NodePos {
  layer: string; // "input" for the input column
  unit: number;
  x: number;
  y: number;
}

export interface ColumnLayout {
  id: string;
  x: number;
  units: number; // total units
  shown: number; // drawn
  nodes: NodePos[];
}

export interface DiagramLayout {
  columns: ColumnLayout[];
  node: number; // node side in px
}

export function diagramLayout(
  layers: readonly LayerLike[],
  w: number,
  h: number,
  nInputs: number,
): DiagramLayout {
  const cols = [
    { id: "input", units: Math.max(1, nInputs) },
    ...layers.map((l) => ({ id: l.id, units: finite(l.n_out) ? l.n_out : 1 })),
  ];
  const top = 34;
  const bottom = 24;
  const maxShown = Math.max(...cols.map((c) => Math.min(MAX_UNITS, c.units)));
  const avail = Math.max(10, h - top - bottom);
  const pitchX = (w - 40) / Math.max(1, cols.length);
  const node = Math.max(12, Math.min(64, (avail / maxShown) * 0.8, pitchX * 0.45));
  const columns: ColumnLayout[] = cols.map((c, i) => {
    const shown = Math.min(MAX_UNITS, c.units);
    const x = 20 + pitchX * (i + 0.5);
    const pitchY = avail / shown;
    const nodes: NodePos[] = [];
    for (let u = 0; u < shown; u++) nodes.push({ layer: c.id, unit: u, x, y: top + pitchY * (u + 0.5) });
    return { id: c.id, x, units: c.units, shown, nodes };
  });
  return { columns, node };
}

/** Colour range for a unit's activation map: the activation's own range where it has one. */
export function activationRange(act: ActivationLike, values: ArrayLike<number>): { lo: number; hi: number } {
  const name = activationName(act);
  if (name === "sigmoid" || name === "logistic" || name === "softmax") return { lo: 0, hi: 1 };
  if (name === "tanh") return { lo: -1, hi: 1 };
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m > 0 ? { lo: -m, hi: m } : { lo: -1, hi: 1 };
}
