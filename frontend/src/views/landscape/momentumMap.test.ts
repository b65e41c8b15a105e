import { describe, expect, it } from "vitest";
import { axisPosition, cellAt, cellColour } from "./momentumMapDraw";

describe("axisPosition", () => {
  it("puts a grid value on its cell and interpolates between cells", () => {
    expect(axisPosition([0, 0.5, 0.9], 0.5)).toBe(1);
    expect(axisPosition([0, 0.5, 0.9], 0.7)).toBeCloseTo(1.5);
  });

  it("interpolates learning rates on a log axis and clamps outside the grid", () => {
    expect(axisPosition([0.01, 0.1, 1], Math.sqrt(0.1), true)).toBeCloseTo(1.5);
    expect(axisPosition([0.01, 0.1, 1], 5, true)).toBe(2);
    expect(axisPosition([0.01, 0.1, 1], 1e-5, true)).toBe(0);
  });
});

describe("cellColour", () => {
  it("tells converged, too slow and diverged settings apart", () => {
    const fast = cellColour(5, false, 200);
    const slow = cellColour(180, false, 200);
    expect(new Set([fast, slow, cellColour(null, false, 200), cellColour(null, true, 200)]).size).toBe(4);
  });
});

describe("cellAt", () => {
  const rect = { x: 10, y: 0, w: 120, h: 100 };
  const map = { learning_rates: [0.01, 0.1], momenta: [0, 0.5, 0.9] };

  it("reads β across and α upwards", () => {
    expect(cellAt(rect, map, 15, 95)).toEqual({ lr: 0.01, momentum: 0 });
    expect(cellAt(rect, map, 125, 5)).toEqual({ lr: 0.1, momentum: 0.9 });
  });

  it("is null outside the cells", () => {
    expect(cellAt(rect, map, 5, 50)).toBeNull();
    expect(cellAt(rect, map, 50, 100)).toBeNull();
  });
});
