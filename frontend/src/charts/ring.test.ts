import { describe, expect, it } from "vitest";
import { SeriesRing } from "./ring";

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
