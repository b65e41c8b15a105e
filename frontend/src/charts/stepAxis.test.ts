import { describe, expect, it } from "vitest";
import { STEP_INCRS, stepSplits, stepTickLabels } from "./stepAxis";

describe("step axis", () => {
  it("offers only whole tick spacings, smallest first", () => {
    expect(STEP_INCRS.slice(0, 7)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(STEP_INCRS.every(Number.isInteger)).toBe(true);
    expect([...STEP_INCRS].sort((a, b) => a - b)).toEqual(STEP_INCRS);
  });

  it("puts ticks on whole steps inside the range, even when the range ends between steps", () => {
    expect(stepSplits(0, 10, 2)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(stepSplits(0.4, 7.6, 1)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stepSplits(3, 3, 1)).toEqual([3]);
    expect(stepSplits(101, 1480, 500)).toEqual([500, 1000]);
    expect(stepSplits(0, 12, 5).every(Number.isInteger)).toBe(true);
  });

  it("labels whole steps and blanks anything else", () => {
    expect(stepTickLabels([0, 5, 1500, 2.5])).toEqual(["0", "5", "1,500", ""]);
  });
});
