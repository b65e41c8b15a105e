import { describe, expect, it } from "vitest";
import type { FrameLike } from "../logic/frame";
import { boundaryData } from "./BoundaryView";
import { asGrid, discretized, isProbability, outputGrid, rangeOf, readPoints } from "./points";

describe("readPoints", () => {
  it("reads the dataset preview's columnar points, val as test", () => {
    const pts = readPoints({ x: [0, 2], y: [1, 3], label: [1, 0], split: ["train", "val"] });
    expect(pts).toEqual([
      { x: 0, y: 1, label: 1, split: "train" },
      { x: 2, y: 3, label: 0, split: "test" },
    ]);
  });
  it("numbers string class names in order of appearance and skips bad points", () => {
    const pts = readPoints({
      x: [0, 1, Number.NaN, 3],
      y: [0, 1, 2, 3],
      label: ["b", "a", "a", "b"],
      split: null,
    });
    expect(pts.map((p) => p.label)).toEqual([0, 1, 0]);
    expect(pts.every((p) => p.split === "train")).toBe(true);
    expect(readPoints(null)).toEqual([]);
  });
});

describe("boundary grids", () => {
  it("reads a flat square grid by its resolution, or a nested grid", () => {
    const flat = new Float32Array(9);
    expect(asGrid(flat, 3)).toEqual({ values: flat, rows: 3, cols: 3 });
    expect(asGrid(flat, null)?.rows).toBe(3);
    expect(
      asGrid(
        [
          [1, 2],
          [3, 4],
        ],
        null,
      ),
    ).toMatchObject({ rows: 2, cols: 2 });
    expect(
      Array.from(
        asGrid(
          [
            [1, 2],
            [3, 4],
          ],
          null,
        )!.values,
      ),
    ).toEqual([1, 2, 3, 4]);
    expect(asGrid(new Float32Array(5), 3)).toBeNull();
    expect(asGrid(undefined, 3)).toBeNull();
  });
  it("uses `output` for one output unit and `classes` for several", () => {
    expect(outputGrid({ output: [0.1, 0.2, 0.3, 0.4], resolution: 2 })?.classIndex).toBe(false);
    expect(outputGrid({ classes: [0, 1, 2, 1], confidence: [1, 1, 1, 1], resolution: 2 })?.classIndex).toBe(
      true,
    );
    expect(outputGrid({})).toBeNull();
  });
  it("validates ranges and detects probabilities", () => {
    expect(rangeOf([-6, 6])).toEqual([-6, 6]);
    expect(rangeOf([1, 1])).toBeNull();
    expect(isProbability([0, 0.5, 1])).toBe(true);
    expect(isProbability([-0.5, 0.5])).toBe(false);
  });
});

describe("discretized", () => {
  it("turns probabilities into the class each cell decides, flipping at 0.5", () => {
    expect(Array.from(discretized([0.1, 0.5, 0.49, 0.97], true))).toEqual([0, 1, 0, 1]);
  });

  it("turns other outputs into ±1, flipping at 0", () => {
    expect(Array.from(discretized([-0.3, 0, 0.2, 5], false))).toEqual([-1, -1, 1, 1]);
  });
});

describe("boundaryData", () => {
  const frame = {
    boundary: { x_range: [-1, 1], y_range: [-1, 1], resolution: 2, output: [0.2, 0.6, 0.4, 0.9] },
    layers: [],
  } as unknown as FrameLike;

  it("keeps the output's values, smoothed, by default", () => {
    const d = boundaryData(frame, []);
    expect(Array.from(d?.grid?.values ?? [])).toEqual([0.2, 0.6, 0.4, 0.9]);
    expect(d?.discrete).toBe(false);
  });

  it("gives each cell its decided class when the output is discretized", () => {
    const d = boundaryData(frame, [], true);
    expect(Array.from(d?.grid?.values ?? [])).toEqual([0, 1, 0, 1]);
    expect(d?.discrete).toBe(true);
  });
});
