import { describe, expect, it } from "vitest";
import { deltaFacts, deltaSentence, describeInterval, RANGES } from "./activationFacts";

describe("the corrected ranges", () => {
  it("name the lecture's three wrong ranges with what it printed", () => {
    const corrected = Object.entries(RANGES).filter(([, r]) => r.printed);
    expect(Object.fromEntries(corrected.map(([k, r]) => [k, r.range]))).toEqual({
      leaky_relu: "(−∞, ∞)",
      elu: "(−α, ∞)",
      softplus: "(0, ∞)",
    });
  });
});

describe("deltaFacts", () => {
  it("finds sigmoid's saturation on both sides and its largest slope 0.25", () => {
    const f = deltaFacts({ kind: "sigmoid" });
    expect(f.maxSlope).toBeCloseTo(0.25, 6);
    expect(f.saturated.map(describeInterval)).toEqual(["z < −4.4", "z > 4.4"]);
    expect(f.dead).toEqual([]);
  });

  it("finds ReLU's dead half and no saturation", () => {
    const f = deltaFacts({ kind: "relu" });
    expect(f.dead.map(describeInterval)).toEqual(["z < 0"]);
    expect(f.saturated).toEqual([]);
  });

  it("says a step has no gradient at all", () => {
    expect(deltaSentence(deltaFacts({ kind: "step" }))).toMatch(/cannot train/);
  });

  it("gives the shrink factor through ten sigmoid layers", () => {
    expect(deltaSentence(deltaFacts({ kind: "sigmoid" }))).toContain("9.5e-7");
  });
});
