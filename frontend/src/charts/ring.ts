/**
 * Fixed-capacity ring buffer of numbers backed by one Float64Array.
 * Pushing never allocates; once full, the oldest value is overwritten.
 * Index 0 is always the oldest retained value.
 */
export class RingBuffer {
  readonly capacity: number;
  private readonly buf: Float64Array;
  private head = 0; // slot the next push writes to
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.buf = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    this.buf[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** i-th retained value, oldest first; NaN when out of range. */
  get(i: number): number {
    if (i < 0 || i >= this.count) return Number.NaN;
    const start = (this.head - this.count + this.capacity) % this.capacity;
    return this.buf[(start + i) % this.capacity];
  }

  /** Newest value, NaN when empty. */
  last(): number {
    return this.count === 0 ? Number.NaN : this.get(this.count - 1);
  }

  /** Copy values oldest-first into `out` (reused by callers to avoid allocation); returns the count written. */
  copyTo(out: Float64Array | number[] | (number | null)[]): number {
    const n = Math.min(this.count, out.length);
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < n; i++) out[i] = this.buf[(start + i) % this.capacity];
    return n;
  }

  toArray(): number[] {
    const out = new Array<number>(this.count);
    this.copyTo(out);
    return out;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}

/**
 * Several aligned series sharing one x column (the training step), each a RingBuffer.
 * Missing values are stored as NaN and exported as null (uPlot draws gaps for null).
 */
export class SeriesRing {
  readonly x: RingBuffer;
  readonly ys: RingBuffer[];
  // Column arrays handed to uPlot; reallocated only when the retained length changes,
  // which stops happening once the ring is full.
  private cols: (number | null)[][] = [];

  constructor(
    readonly capacity: number,
    readonly nSeries: number,
  ) {
    this.x = new RingBuffer(capacity);
    this.ys = Array.from({ length: nSeries }, () => new RingBuffer(capacity));
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
