import { describe, expect, it } from "vitest";
import type { DatasetSpec } from "../../catalog/types";
import { FEATURES_2D } from "../../spec/types";
import type { BoundaryLike, LayerLike } from "../logic/frame";
import { FEATURE_RESOLUTION, featureGrid, featureValue, inputFeatures, inputPlane } from "./features";

const X: [number, number] = [-6, 6];
const Y: [number, number] = [-3, 5];
const R = FEATURE_RESOLUTION;
const at = (g: Float64Array, row: number, col: number) => g[row * R + col];

describe("input feature grids", () => {
  it("computes each feature as the server does", () => {
    expect(featureValue("x", 2, 3)).toBe(2);
    expect(featureValue("y", 2, 3)).toBe(3);
    expect(featureValue("x2", -2, 3)).toBe(4);
    expect(featureValue("y2", 2, -3)).toBe(9);
    expect(featureValue("xy", 2, -3)).toBe(-6);
    expect(featureValue("sin_x", Math.PI / 2, 0)).toBeCloseTo(1);
    expect(featureValue("sin_y", 0, -Math.PI / 2)).toBeCloseTo(-1);
  });

  it("samples the plane at the server's points: row 0 at the bottom, from lo to hi on each axis", () => {
    const x = featureGrid("x", X, Y);
    const y = featureGrid("y", X, Y);
    expect(x).toHaveLength(R * R);
    expect(at(x, 0, 0)).toBe(-6);
    expect(at(x, 0, R - 1)).toBe(6);
    expect(at(y, 0, 0)).toBe(-3);
    expect(at(y, R - 1, 0)).toBe(5);
    // evenly spaced: numpy's linspace(lo, hi, 16)
    expect(at(x, 3, 1) - at(x, 3, 0)).toBeCloseTo(12 / 15);
  });

  it("draws x as a ramp along x alone, and y along y alone", () => {
    const x = featureGrid("x", X, Y);
    const y = featureGrid("y", X, Y);
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < R; c++) {
        expect(at(x, r, c)).toBe(at(x, 0, c));
        expect(at(y, r, c)).toBe(at(y, r, 0));
      }
    }
    for (let c = 1; c < R; c++) expect(at(x, 0, c)).toBeGreaterThan(at(x, 0, c - 1));
  });

  it("draws x² as a bowl along x: symmetric about 0, never negative, least in the middle", () => {
    const g = featureGrid("x2", X, Y); // X is symmetric about 0
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < R; c++) {
        expect(at(g, r, c)).toBeGreaterThanOrEqual(0);
        expect(at(g, r, c)).toBeCloseTo(at(g, r, R - 1 - c), 12);
        expect(at(g, r, c)).toBe(at(g, 0, c));
      }
    }
    expect(at(g, 0, 0)).toBe(36);
    expect(at(g, 0, 7)).toBeLessThan(at(g, 0, 3));
    const y2 = featureGrid("y2", X, [-4, 4]);
    for (let r = 0; r < R; r++) expect(at(y2, r, 5)).toBeCloseTo(at(y2, R - 1 - r, 5), 12);
  });

  it("draws sin x as stripes: varies only along x, within [−1, 1], with both signs", () => {
    const g = featureGrid("sin_x", X, Y);
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < R; c++) {
        expect(at(g, r, c)).toBe(at(g, 0, c));
        lo = Math.min(lo, at(g, r, c));
        hi = Math.max(hi, at(g, r, c));
      }
    }
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThanOrEqual(1);
    expect(lo).toBeLessThan(-0.9);
    expect(hi).toBeGreaterThan(0.9);
    const s = featureGrid("sin_y", X, Y);
    for (let r = 0; r < R; r++) for (let c = 0; c < R; c++) expect(at(s, r, c)).toBe(at(s, r, 0));
  });

  it("draws x·y as a saddle: positive in the first and third quadrants, negative in the others", () => {
    const g = featureGrid("xy", X, [-6, 6]);
    expect(at(g, R - 1, R - 1)).toBeGreaterThan(0); // top right
    expect(at(g, 0, 0)).toBeGreaterThan(0); // bottom left
    expect(at(g, 0, R - 1)).toBeLessThan(0); // bottom right
    expect(at(g, R - 1, 0)).toBeLessThan(0); // top left
  });

  it("every feature has a grid", () => {
    for (const f of FEATURES_2D) {
      const g = featureGrid(f, X, Y, 4);
      expect(g).toHaveLength(16);
      expect(g.every((v) => Number.isFinite(v))).toBe(true);
    }
  });
});

describe("input features of a data spec", () => {
  const datasets: DatasetSpec[] = [
    {
      name: "spiral",
      title: "Spiral",
      group: "2-D",
      task: "binary",
      description: "",
      params: [{ name: "features", type: "multiselect", default: ["x", "y"] }],
    },
    { name: "mnist", title: "MNIST", group: "images", task: "multiclass", description: "", params: [] },
  ];

  it("lists the chosen features in the order the network receives them, once each", () => {
    expect(inputFeatures({ dataset: "spiral", features: ["sin_y", "x", "sin_x", "y"] }, datasets)).toEqual([
      "x",
      "y",
      "sin_x",
      "sin_y",
    ]);
    expect(inputFeatures({ dataset: "spiral", features: ["x2", "x2"] }, datasets)).toEqual(["x2"]);
  });

  it("falls back to the catalog's default, and has none for other data", () => {
    expect(inputFeatures({ dataset: "spiral" }, datasets)).toEqual(["x", "y"]);
    expect(inputFeatures({ dataset: "mnist" }, datasets)).toBeNull();
    expect(inputFeatures({ dataset: "spiral" }, [])).toBeNull();
    // a name the server would not accept: no features rather than a guess
    expect(inputFeatures({ dataset: "spiral", features: ["x", "z" as never] }, datasets)).toBeNull();
  });
});

describe("when the input nodes show their features", () => {
  const b: BoundaryLike = {
    x_range: [-6.5, 6.5],
    y_range: [-6, 7],
    resolution: 48,
    neuron_resolution: 16,
    output: [],
    neurons: { h1: [] },
  };
  const h1 = (nIn: number): LayerLike => ({ id: "h1", kind: "dense", n_in: nIn, n_out: 4 });

  it("over the boundary's plane, one feature per input node", () => {
    expect(inputPlane(b, ["x", "y", "sin_x", "sin_y"], h1(4), 4)).toEqual({
      features: ["x", "y", "sin_x", "sin_y"],
      xRange: [-6.5, 6.5],
      yRange: [-6, 7],
      res: 16,
    });
    // no hidden layer: the output's map and the inputs' still share the plane
    expect(inputPlane({ ...b, neurons: {} }, ["x", "y"], h1(2), 2)).not.toBeNull();
  });

  it("not for data without a plane, nor features that are not the network's inputs", () => {
    expect(inputPlane(null, ["x", "y"], h1(2), 2)).toBeNull();
    expect(inputPlane({ ...b, neurons: undefined }, ["x", "y"], h1(2), 2)).toBeNull();
    expect(inputPlane({ ...b, x_range: [1, 1] }, ["x", "y"], h1(2), 2)).toBeNull();
    expect(inputPlane(b, null, h1(2), 2)).toBeNull();
    // the spec was edited to three features while the frame is from a run on two
    expect(inputPlane(b, ["x", "y", "x2"], h1(2), 2)).toBeNull();
    expect(inputPlane(b, ["x", "y"], h1(2), 1)).toBeNull();
    expect(inputPlane(b, ["x", "y"], { id: "c1", kind: "conv2d", n_in: 2 }, 2)).toBeNull();
    expect(inputPlane(b, ["x", "y"], undefined, 2)).toBeNull();
  });
});
