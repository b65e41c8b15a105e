/**
 * Per-layer histories → uPlot columns for the gradient-flow charts. The layers' histories are pushed
 * together for every frame, so they share steps; they are aligned at the newest end in case a layer
 * appeared later. Column arrays are cached and reused while their length is stable.
 */
import type { Ring } from "../../telemetry";

export interface HistorySource {
  layerHistory(id: string): { step: Ring; get(key: string): Ring | undefined; length: number } | undefined;
}

export class ColumnCache {
  private cols: (number | null)[][] = [];

  /** [steps, layer0, layer1, …] for the series `key` of each layer (missing/NaN → null). */
  build(src: HistorySource, layerIds: readonly string[], key: string): (number | null)[][] {
    let n = 0;
    let xRing: Ring | undefined;
    for (const id of layerIds) {
      const h = src.layerHistory(id);
      if (h && h.length > n) {
        n = h.length;
        xRing = h.step;
      }
    }
    const want = layerIds.length + 1;
    if (this.cols.length !== want) this.cols = Array.from({ length: want }, () => []);
    for (const c of this.cols) c.length = n;
    const x = this.cols[0];
    for (let i = 0; i < n; i++) x[i] = xRing ? xRing.get(i) : i;
    layerIds.forEach((id, j) => {
      const col = this.cols[j + 1];
      const h = src.layerHistory(id);
      const ring = h?.get(key);
      const len = ring ? ring.length : 0;
      const offset = n - len;
      for (let i = 0; i < n; i++) {
        const v = i >= offset && ring ? ring.get(i - offset) : Number.NaN;
        col[i] = Number.isFinite(v) ? v : null;
      }
    });
    return this.cols;
  }
}

/** Colour-blind-safe sequential colours (viridis anchors), input layer dark purple → output yellow-green. */
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [200, 210, 40],
];

export function layerColours(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0.5 : i / (n - 1);
    const p = t * (VIRIDIS.length - 1);
    const k = Math.min(VIRIDIS.length - 2, Math.floor(p));
    const u = p - k;
    const c = VIRIDIS[k].map((a, j) => Math.round(a + (VIRIDIS[k + 1][j] - a) * u));
    out.push(`rgb(${c.join(",")})`);
  }
  return out;
}
