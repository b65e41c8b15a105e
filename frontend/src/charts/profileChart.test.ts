import { describe, expect, it } from "vitest";
import { decadeRange } from "./profileChart";

describe("decadeRange", () => {
  it("covers the positive values in whole decades", () => {
    expect(decadeRange([{ label: "a", colour: "#000", values: [2e-8, 3e-4, null, 0.02] }])).toEqual({
      lo: -8,
      hi: -1,
    });
    expect(decadeRange([{ label: "a", colour: "#000", values: [1, 1] }])).toEqual({ lo: 0, hi: 1 });
  });
  it("ignores zeros, negatives and non-finite values", () => {
    expect(decadeRange([{ label: "a", colour: "#000", values: [0, -1, Number.NaN, null] }])).toBeNull();
  });
});
