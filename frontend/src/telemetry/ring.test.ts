import { describe, expect, it } from "vitest";
import { Ring } from "./ring";

describe("Ring", () => {
  it("keeps the newest values oldest-first once full", () => {
    const r = new Ring(3);
    for (const v of [1, 2, 3, 4, 5]) r.push(v);
    expect(r.length).toBe(3);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.get(0)).toBe(3);
    expect(r.last()).toBe(5);
    expect(r.get(3)).toBeNaN();
  });

  it("copies into a caller-owned array and clears", () => {
    const r = new Ring(4);
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
    expect(() => new Ring(0)).toThrow(RangeError);
  });

  it("stores a missing value as NaN", () => {
    const r = new Ring(3);
    r.push(4);
    r.push(null);
    r.push(undefined);
    expect(r.toArray()).toEqual([4, Number.NaN, Number.NaN]);
  });
});
