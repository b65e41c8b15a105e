import { describe, expect, it } from "vitest";
import { activationRange, diagramLayout, MAX_UNITS } from "./layout";

describe("network diagram layout", () => {
  it("puts the input and each layer in its own column and caps drawn units", () => {
    const l = diagramLayout(
      [
        { id: "h1", n_out: 3 },
        { id: "h2", n_out: 100 },
        { id: "y", n_out: 1 },
      ],
      800,
      400,
      2,
    );
    expect(l.columns.map((c) => c.id)).toEqual(["input", "h1", "h2", "y"]);
    expect(l.columns[2].shown).toBe(MAX_UNITS);
    expect(l.columns[2].units).toBe(100);
    expect(l.columns[0].nodes).toHaveLength(2);
    expect(l.columns[1].x).toBeGreaterThan(l.columns[0].x);
    expect(l.node).toBeGreaterThanOrEqual(12);
  });
  it("uses the activation's range for its colour scale", () => {
    expect(activationRange("sigmoid", [0.2])).toEqual({ lo: 0, hi: 1 });
    expect(activationRange("tanh", [0.2])).toEqual({ lo: -1, hi: 1 });
    expect(activationRange("relu", [0, 3, 1])).toEqual({ lo: -3, hi: 3 });
  });
});
