/**
 * How the network diagram encodes numbers: an edge's colour is the sign of its weight (blue +, orange −)
 * and its width grows with |w| relative to the largest |w| shown; a node's fill is its mean activation on
 * the diverging scale. Pure, so node/edge components of the graph editor can use it too.
 */
import { lutCss, lutIndex, divergingLut, NEG_CSS, POS_CSS } from "../../charts/palette";

export interface EdgeStyle {
  stroke: string;
  strokeWidth: number;
  opacity: number;
}

export const EDGE_MIN_WIDTH = 0.5;
export const EDGE_MAX_WIDTH = 6;

/** Style of one edge of weight `w`, where `maxAbs` is the largest |w| in view (≤ 0 → thin grey). */
export function edgeStyle(w: number, maxAbs: number): EdgeStyle {
  if (!Number.isFinite(w) || !(maxAbs > 0))
    return { stroke: "#999", strokeWidth: EDGE_MIN_WIDTH, opacity: 0.5 };
  const t = Math.min(1, Math.abs(w) / maxAbs);
  return {
    stroke: w >= 0 ? POS_CSS : NEG_CSS,
    strokeWidth: EDGE_MIN_WIDTH + (EDGE_MAX_WIDTH - EDGE_MIN_WIDTH) * t,
    opacity: 0.25 + 0.75 * t,
  };
}

/** Largest finite |w| over a weight matrix [out][in]. */
export function maxAbsWeight(W: ArrayLike<ArrayLike<number>> | null | undefined): number {
  let m = 0;
  if (!W) return m;
  for (let i = 0; i < W.length; i++) {
    const row = W[i];
    for (let j = 0; j < row.length; j++) {
      const a = Math.abs(row[j]);
      if (Number.isFinite(a) && a > m) m = a;
    }
  }
  return m;
}

const LUT = divergingLut();

/** Fill of a node from its mean activation; `range` is the symmetric scale (1 for sigmoid/tanh outputs). */
export function nodeFill(meanActivation: number | null | undefined, range = 1): string {
  if (meanActivation === null || meanActivation === undefined || !Number.isFinite(meanActivation))
    return "#ddd";
  return lutCss(LUT, lutIndex(meanActivation, -range, range));
}
