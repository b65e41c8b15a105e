import { describe, expect, it } from "vitest";
import { exact, lrDemoRequest, LR_DEMO, mapForm, raceRequest } from "./race";
import { bandOf, BANDS, sampleGrid, toPx, toWorld } from "./contourPlot";

const controls = {
  fn: "quadratic" as const,
  conditionNumber: 10,
  start: [-2, 1] as [number, number],
  steps: 50,
  kinds: ["sgd", "nesterov", "adam"] as const,
  lr: 0.02,
  momentum: 0.8,
  mode: "same" as const,
};

describe("raceRequest", () => {
  it("sends every picked optimiser at the same α and β", () => {
    const body = raceRequest(controls);
    expect(body.optimizers).toEqual([
      { kind: "sgd", lr: 0.02, momentum: 0.8 },
      { kind: "nesterov", lr: 0.02, momentum: 0.8 },
      { kind: "adam", lr: 0.02, momentum: 0.8 },
    ]);
    expect(body.start).toEqual([-2, 1]);
  });

  it("asks for the (α, β) map of the raced momentum form only on the quadratic", () => {
    expect(raceRequest(controls).momentum_map).toEqual({ kind: "nesterov", lr: 0.02, momentum: 0.8 });
    expect(raceRequest({ ...controls, fn: "rosenbrock" }).momentum_map).toBeNull();
    expect(mapForm(["adam"])).toBe("momentum");
  });
});

describe("the learning-rate demo", () => {
  it("runs plain gradient descent along y = 0 at four rates whose factor 1 − 2α says what happens", () => {
    const body = lrDemoRequest();
    expect(body.optimizers.every((o) => o.kind === "sgd")).toBe(true);
    const factors = LR_DEMO.map((d) => 1 - 2 * d.lr);
    expect(factors[0]).toBeGreaterThan(0); // too small: slow, same sign
    expect(factors[1]).toBeCloseTo(0); // right: one step
    expect(factors[2]).toBeLessThan(0); // oscillating: sign flips, shrinking
    expect(Math.abs(factors[2]!)).toBeLessThan(1);
    expect(Math.abs(factors[3]!)).toBeGreaterThan(1); // diverging
  });
});

describe("contour plot geometry", () => {
  const frame = { rect: { x: 10, y: 20, w: 200, h: 100 }, xRange: [-2, 2] as const, yRange: [0, 4] as const };

  it("maps the world's corners to the rectangle's, y upwards", () => {
    expect(toPx(frame, -2, 4)).toEqual([10, 20]);
    expect(toPx(frame, 2, 0)).toEqual([210, 120]);
  });

  it("turns a click back into the world point it was drawn at", () => {
    const [px, py] = toPx(frame, 0.5, 1.25);
    const [x, y] = toWorld(frame, px, py);
    expect(x).toBeCloseTo(0.5, 12);
    expect(y).toBeCloseTo(1.25, 12);
  });

  it("bands run from the lowest value to the highest on a log scale", () => {
    expect(bandOf(0, 0, 1000)).toBe(0);
    expect(bandOf(1000, 0, 1000)).toBe(BANDS - 1);
    expect(bandOf(null, 0, 1000)).toBe(BANDS - 1);
    expect(bandOf(Math.sqrt(1001) - 1, 0, 1000)).toBe(BANDS / 2);
  });

  it("interpolates the grid bilinearly", () => {
    const grid = [
      [0, 1],
      [2, 3],
    ];
    expect(sampleGrid(grid, 0.5, 0.5)).toBeCloseTo(1.5);
    expect(sampleGrid(grid, 1, 0)).toBe(1);
    expect(
      sampleGrid(
        [
          [0, null],
          [2, 3],
        ],
        0.5,
        0.5,
      ),
    ).toBeNull();
  });
});

describe("exact", () => {
  it("shows ten significant digits and says when a value overflowed", () => {
    expect(exact(0.1234567890123)).toBe("0.123456789");
    expect(exact(null)).toBe("overflow");
    expect(exact(1e-9)).toBe("1.000000000e-9");
  });
});
