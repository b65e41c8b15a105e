/**
 * The one fixed-capacity ring of float64 values (telemetry histories, chart columns). Pushing never allocates; when full, the oldest value is
 * overwritten. Index 0 is the oldest retained value. Missing values are stored as NaN.
 */
export class Ring {
  readonly capacity: number;
  private readonly data: Float64Array;
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`bad ring capacity ${capacity}`);
    this.capacity = capacity;
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number | null | undefined): void {
    this.data[this.head] = typeof value === "number" ? value : Number.NaN;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** i-th value, oldest first; NaN outside [0, length). */
  get(i: number): number {
    if (i < 0 || i >= this.count) return Number.NaN;
    return this.data[(this.head - this.count + i + 2 * this.capacity) % this.capacity] as number;
  }

  last(): number {
    return this.get(this.count - 1);
  }

  /** Copy oldest-first into `out` (reuse it between frames); returns how many values were written. */
  copyTo(out: Float64Array | number[] | (number | null)[]): number {
    const n = Math.min(this.count, out.length);
    for (let i = 0; i < n; i++) out[i] = this.get(i);
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
