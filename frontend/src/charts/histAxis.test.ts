import { describe, expect, it } from "vitest";
import { niceTicks, occupiedLogRange, panelRanges, rebin, sumOf, unionRange } from "./histAxis";

describe("axis sharing", () => {
  const h1 = { lo: -2, hi: 2, counts: [1, 2, 3, 4] };
  const h2 = { lo: -0.01, hi: 0.01, counts: [5, 5] };
  it("shares the union range across layers", () => {
    expect(unionRange([h1, h2, null])).toEqual({ lo: -2, hi: 2 });
    const r = panelRanges([h1, h2, null], "shared");
    expect(r).toEqual([{ lo: -2, hi: 2 }, { lo: -2, hi: 2 }, null]);
  });
  it("zooms each panel to its own data in per-layer mode", () => {
    const r = panelRanges([h1, h2], "per-layer");
    expect(r[1]).toEqual({ lo: -0.01, hi: 0.01 });
  });
  it("widens a degenerate range so it can be drawn", () => {
    expect(unionRange([{ lo: 0, hi: 0, counts: [3] }])).toEqual({ lo: -0.5, hi: 0.5 });
    expect(unionRange([{ lo: 2, hi: 2, counts: [3] }])).toEqual({ lo: 1.8, hi: 2.2 });
  });
  it("ignores non-finite and empty histograms", () => {
    expect(
      unionRange([
        { lo: Number.NaN, hi: 1, counts: [1] },
        { lo: 0, hi: 1, counts: [] },
      ]),
    ).toBeNull();
  });
});

describe("rebin", () => {
  it("is the identity on the same edges", () => {
    const out = new Float64Array(4);
    const max = rebin([1, 2, 3, 4], 0, 4, 0, 4, out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(max).toBe(4);
  });
  it("conserves mass when coarsening and splits by overlap when refining", () => {
    const coarse = new Float64Array(2);
    rebin([1, 2, 3, 4], 0, 4, 0, 4, coarse);
    expect(Array.from(coarse)).toEqual([3, 7]);
    const fine = new Float64Array(4);
    rebin([2, 4], 0, 2, 0, 2, fine);
    expect(Array.from(fine)).toEqual([1, 1, 2, 2]);
  });
  it("collapses a narrow histogram into the bins around it on a shared axis", () => {
    const out = new Float64Array(10);
    rebin([5, 5], -0.01, 0.01, -2, 2, out);
    expect(sumOf(out)).toBeCloseTo(10, 9);
    expect(out[4] + out[5]).toBeCloseTo(10, 9);
  });
  it("drops mass outside the destination and handles zero-width sources", () => {
    const out = new Float64Array(2);
    rebin([4, 4], -2, 2, 0, 2, out);
    expect(sumOf(out)).toBeCloseTo(4, 9);
    rebin([3], 0.5, 0.5, 0, 2, out);
    expect(Array.from(out)).toEqual([3, 0]);
  });
});

describe("log-magnitude range", () => {
  it("zooms to the occupied decades with one decade of margin", () => {
    const counts = new Array(16).fill(0);
    counts[4] = 10; // [-8, -7)
    counts[6] = 3; // [-6, -5)
    expect(occupiedLogRange([{ lo: -12, hi: 4, counts, zeros: 0 }])).toEqual({ lo: -9, hi: -4 });
    expect(occupiedLogRange([{ lo: -12, hi: 4, counts: new Array(16).fill(0) }])).toEqual({ lo: -12, hi: 4 });
  });
});

describe("niceTicks", () => {
  it("picks 1-2-5 steps inside the range", () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-1.3, 1.3, 4)).toEqual([-1, 0, 1]);
    expect(niceTicks(0.1, 0.75, 6)).toEqual([0.2, 0.4, 0.6]);
  });
});
