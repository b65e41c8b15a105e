import { describe, expect, it } from "vitest";
import type { TraceLayer } from "./trace";
import { gradientCounts, isRecurrentTrace, stepGradients, unrollLayer } from "./unrolled";

const rnn = {
  id: "h",
  kind: "rnn",
  z: [
    [
      [0.5, -0.3],
      [0.18, -0.33],
      [-0.61, 0.17],
    ],
  ],
  a: [
    [
      [0.46, -0.29],
      [0.18, -0.32],
      [-0.54, 0.17],
    ],
  ],
  h: [
    [
      [0.46, -0.29],
      [0.18, -0.32],
      [-0.54, 0.17],
    ],
  ],
  delta: [
    [
      [-0.001, -0.04],
      [-0.09, -0.037],
      [-0.33, 0.31],
    ],
  ],
  grad_weights: {
    hh: [
      [0.04, 0.043],
      [-0.05, -0.03],
    ],
    hx: [[0.5], [-0.4]],
  },
  grad_weights_per_step: {
    hh: [
      [
        [0, 0],
        [0, 0],
      ],
      [
        [-0.04, 0.027],
        [-0.017, 0.011],
      ],
      [
        [0.08, 0.016],
        [-0.033, -0.041],
      ],
    ],
    hx: [
      [[-0.001], [-0.04]],
      [[0.008], [0.042]],
      [[0.49], [-0.4]],
    ],
  },
} as unknown as TraceLayer;
const dense = { id: "y", kind: "dense", a: [[0.1]] } as unknown as TraceLayer;

describe("a recurrent layer unrolled for textbook mode", () => {
  it("lists x_t, z_t, h_t forward and δ_t backward, one row per unit", () => {
    const u = unrollLayer(rnn, [[[1], [0.5], [-1]]], 0)!;
    expect(u.steps).toBe(3);
    expect(u.rows.map((r) => `${r.key}${r.unit}`)).toEqual([
      "x0",
      "z0",
      "z1",
      "h0",
      "h1",
      "delta0",
      "delta1",
    ]);
    expect(u.rows.find((r) => r.key === "x")!.values).toEqual([1, 0.5, -1]);
    expect(u.rows.filter((r) => r.backward).map((r) => r.key)).toEqual(["delta", "delta"]);
  });

  it("gives each weight its per-step gradients beside their sum", () => {
    const g = stepGradients(rnn);
    expect(g).toHaveLength(6);
    expect(g[1]).toEqual({ matrix: "hh", row: 0, col: 1, perStep: [0, 0.027, 0.016], sum: 0.043 });
    expect(g[4]!.matrix).toBe("hx");
  });

  it("counts one gradient for the output weights and T for the recurrent ones", () => {
    expect(gradientCounts([rnn, dense], 3)).toEqual([
      { name: "W_hh (h)", count: 3 },
      { name: "W_hx (h)", count: 3 },
      { name: "W_yh (y)", count: 1 },
    ]);
    const perStepDense = { ...dense, a: [[[0.1], [0.2], [0.3]]] } as unknown as TraceLayer;
    expect(gradientCounts([rnn, perStepDense], 3)[2]!.count).toBe(3);
  });

  it("is only for recurrent layers", () => {
    expect(unrollLayer(dense, [], 0)).toBeNull();
    expect(isRecurrentTrace([dense])).toBe(false);
    expect(isRecurrentTrace([rnn, dense])).toBe(true);
  });
});
