/**
 * Bounded in-memory history of the frames of the current run, for scrubbing back.
 * Holds the newest `capacity` frames (older ones are dropped); `cursor` is null when following live,
 * or the `seq` of the frame being looked at, so a selection stays on the same frame while newer frames
 * arrive and shift indices. If the selected frame falls out of the window, the oldest one is shown.
 */
import type { FrameLike } from "./frame";

export class FrameTimeline<F extends FrameLike = FrameLike> {
  private buf: (F | undefined)[];
  private head = 0;
  private count = 0;
  private selectedSeq: number | null = null;
  private runId: string | undefined;
  /** bumps on every change (push, select, reset): the draw loop compares it to know what is new */
  version = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be ≥ 1");
    this.buf = new Array<F | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  get run(): string | undefined {
    return this.runId;
  }

  /** i-th frame, 0 = oldest retained. */
  at(i: number): F | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const start = (this.head - this.count + this.capacity) % this.capacity;
    return this.buf[(start + i) % this.capacity];
  }

  latest(): F | undefined {
    return this.at(this.count - 1);
  }

  /**
   * Record a frame. A frame of another run resets the history; a frame whose seq is not newer than the
   * latest (a duplicate or replay) is ignored. Returns whether it was stored.
   */
  push(frame: F): boolean {
    const run = typeof frame.run === "string" ? frame.run : undefined;
    if (run !== undefined && this.runId !== undefined && run !== this.runId) this.reset();
    if (run !== undefined) this.runId = run;
    const last = this.latest();
    if (last && frame.seq !== undefined && last.seq !== undefined && frame.seq <= last.seq) return false;
    this.buf[this.head] = frame;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.version++;
    return true;
  }

  reset(): void {
    this.buf = new Array<F | undefined>(this.capacity);
    this.head = 0;
    this.count = 0;
    this.selectedSeq = null;
    this.runId = undefined;
    this.version++;
  }

  get isLive(): boolean {
    return this.selectedSeq === null;
  }

  /** Index of the frame on screen (count − 1 when live), −1 when empty. */
  get index(): number {
    if (this.count === 0) return -1;
    if (this.selectedSeq === null) return this.count - 1;
    const i = this.indexOfSeq(this.selectedSeq);
    return i >= 0 ? i : 0;
  }

  /** The frame the views should draw: the selected one, or the newest when live. */
  current(): F | undefined {
    return this.at(this.index);
  }

  /** Select the i-th retained frame (clamped); selecting the newest returns to live mode. */
  select(i: number): void {
    if (this.count === 0) return;
    const j = Math.max(0, Math.min(this.count - 1, Math.round(i)));
    const prev = this.selectedSeq;
    if (j === this.count - 1) this.selectedSeq = null;
    else this.selectedSeq = this.at(j)?.seq ?? null;
    if (prev !== this.selectedSeq) this.version++;
  }

  /** Move the selection by `delta` frames (negative = back in time). */
  stepBy(delta: number): void {
    this.select(this.index + delta);
  }

  live(): void {
    if (this.selectedSeq !== null) {
      this.selectedSeq = null;
      this.version++;
    }
  }

  indexOfSeq(seq: number): number {
    // Frames are stored in increasing seq order, so binary search.
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.at(mid)?.seq ?? -Infinity;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the last frame whose step is ≤ `step` (−1 if none): scrubbing by training step. */
  indexAtStep(step: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.at(mid)?.step ?? -Infinity;
      if (s <= step) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }
}
