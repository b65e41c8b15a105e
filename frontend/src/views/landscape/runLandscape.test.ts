import { describe, expect, it } from "vitest";
import type { NetworkLandscape } from "../../generated";
import { landscapeSummary, pathPoints, planeRanges } from "./runLandscape";

const landscape: NetworkLandscape = {
  run: "r1",
  step: 400,
  directions: "path",
  alphas: [-2, 0, 3],
  betas: [-1, 0, 1],
  loss: [
    [1, 2, 3],
    [0.5, 0.2, 0.7],
    [1, 1, 1],
  ],
  center_loss: 0.2,
  path: [
    { step: 0, alpha: 2.5, beta: 0.5, loss: 0.69 },
    { step: 200, alpha: 1, beta: -0.2, loss: 0.4 },
    { step: 400, alpha: 0, beta: 0, loss: 0.2 },
  ],
  off_plane: 0.08,
  parameters: 17,
  examples: 250,
};

describe("a run's own landscape", () => {
  it("spans the plot over the grid's α and β", () => {
    expect(planeRanges(landscape)).toEqual({ xRange: [-2, 3], yRange: [-1, 1] });
  });

  it("draws the path through its projected points, start first", () => {
    expect(pathPoints(landscape)).toEqual([
      [2.5, 0.5],
      [1, -0.2],
      [0, 0],
    ]);
  });

  it("says where the centre is, where the path began and how much of it the plane shows", () => {
    const text = landscapeSummary(landscape);
    expect(text).toContain("step 400, loss 0.2");
    expect(text).toContain("3 points from step 0 (loss 0.69)");
    expect(text).toContain("8 % of the path's movement lies off this plane.");
  });

  it("suggests the path's own directions when a random plane misses most of it", () => {
    expect(landscapeSummary({ ...landscape, directions: "random", off_plane: 0.93 })).toContain(
      "93 % of the path's movement lies off this plane: try the path's own directions.",
    );
  });
});
