import { describe, expect, it } from "vitest";
import { updateRatioDecadesOff } from "./warnings";

describe("update-to-weight ratio colouring", () => {
  it("measures how many decades a ratio is from 10⁻³", () => {
    expect(updateRatioDecadesOff(1e-3)).toBeCloseTo(0, 12);
    expect(updateRatioDecadesOff(1e-5)).toBeCloseTo(2, 12);
    expect(updateRatioDecadesOff(0)).toBeNull();
  });
});
