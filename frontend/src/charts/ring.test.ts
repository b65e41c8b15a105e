import { describe, expect, it } from "vitest";
import { RingBuffer, SeriesRing } from "./ring";

describe("RingBuffer", () => {
  it("keeps the newest values oldest-first once full", () => {
    const r = new RingBuffer(3);
    for (const v of [1, 2, 3, 4, 5]) r.push(v);
    expect(r.length).toBe(3);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.get(0)).toBe(3);
    expect(r.last()).toBe(5);
    expect(r.get(3)).toBeNaN();
  });

  it("copies into a caller-owned array and clears", () => {
    const r = new RingBuffer(4);
    r.push(7);
    r.push(8);
    const out = new Float64Array(4);
    expect(r.copyTo(out)).toBe(2);
    expect(Array.from(out.slice(0, 2))).toEqual([7, 8]);
    r.clear();
    expect(r.length).toBe(0);
    expect(r.last()).toBeNaN();
  });

  it("rejects a non-positive capacity", () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe("SeriesRing", () => {
  it("stores aligned rows, exports gaps as null and drops non-increasing x", () => {
    const s = new SeriesRing(3, 2);
    expect(s.push(1, [0.5, null])).toBe(true);
    expect(s.push(2, [0.4, 0.6])).toBe(true);
    expect(s.push(2, [9, 9])).toBe(false);
    expect(s.push(3, [Number.NaN, 0.5])).toBe(true);
    expect(s.push(4, [0.2, 0.4])).toBe(true);
    expect(s.columns()).toEqual([
      [2, 3, 4],
      [0.4, null, 0.2],
      [0.6, 0.5, 0.4],
    ]);
  });

  it("reuses its column arrays when the length is stable", () => {
    const s = new SeriesRing(2, 1);
    s.push(1, [1]);
    s.push(2, [2]);
    const a = s.columns();
    s.push(3, [3]);
    const b = s.columns();
    expect(b).toBe(a);
    expect(b[0]).toEqual([2, 3]);
  });
});
