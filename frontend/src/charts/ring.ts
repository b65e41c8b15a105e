import { Ring } from "../telemetry/ring";

/**
 * Several aligned series sharing one x column (the training step), each a Ring.
 * Missing values are stored as NaN and exported as null (uPlot draws gaps for null).
 */
export class SeriesRing {
  readonly x: Ring;
  readonly ys: Ring[];
  // Column arrays handed to uPlot; reallocated only when the retained length changes,
  // which stops happening once the ring is full.
  private cols: (number | null)[][] = [];

  constructor(
    readonly capacity: number,
    readonly nSeries: number,
  ) {
    this.x = new Ring(capacity);
    this.ys = Array.from({ length: nSeries }, () => new Ring(capacity));
  }

  get length(): number {
    return this.x.length;
  }

  /** Append one row. If x does not increase (e.g. a replayed frame), the row is ignored. */
  push(x: number, values: ArrayLike<number | null | undefined>): boolean {
    if (this.x.length > 0 && !(x > this.x.last())) return false;
    this.x.push(x);
    for (let s = 0; s < this.nSeries; s++) {
      const v = values[s];
      this.ys[s].push(v === null || v === undefined || !Number.isFinite(v) ? Number.NaN : v);
    }
    return true;
  }

  clear(): void {
    this.x.clear();
    for (const y of this.ys) y.clear();
  }

  /** Columnar data [x, y0, y1, ...] oldest-first, NaN → null. Reuses arrays when the length is stable. */
  columns(): (number | null)[][] {
    const n = this.x.length;
    if (this.cols.length !== this.nSeries + 1 || this.cols[0].length !== n) {
      this.cols = Array.from({ length: this.nSeries + 1 }, () => new Array<number | null>(n));
    }
    this.x.copyTo(this.cols[0]);
    for (let s = 0; s < this.nSeries; s++) {
      const col = this.cols[s + 1];
      this.ys[s].copyTo(col);
      for (let i = 0; i < n; i++) if (Number.isNaN(col[i] as number)) col[i] = null;
    }
    return this.cols;
  }
}
