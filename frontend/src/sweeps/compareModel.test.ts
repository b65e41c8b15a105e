import { describe, expect, it } from "vitest";
import type { Comparison, CompareQuantity } from "../net/api";
import { curveColumns, gradientFlow, overlay, scrubSteps } from "./compareModel";

function quantity(counts: (number[] | null)[], rms: (number | null)[]): CompareQuantity {
  return {
    hist: { edges: [0, 1, 2], counts },
    loghist: { lo: -2, hi: 2, counts },
    stats: rms.map((r) => (r === null ? null : { mean: 0, std: 1, rms: r, min: 0, max: 2, n: 4 })),
  };
}

describe("curveColumns", () => {
  it("aligns runs on the union of their steps", () => {
    const cols = curveColumns(
      [
        {
          label: "a",
          rows: [
            { step: 0, loss: 1 },
            { step: 10, loss: 0.5 },
          ],
        },
        {
          label: "b",
          rows: [
            { step: 5, loss: 2 },
            { step: 10, loss: 1 },
          ],
        },
      ],
      "loss",
    );
    expect(cols).toEqual([
      [0, 5, 10],
      [1, null, 0.5],
      [null, 2, 1],
    ]);
  });
});

describe("overlay", () => {
  it("turns each run's counts into shares of its own total", () => {
    const o = overlay(quantity([[1, 3], [10, 10], null], [1, 1, null]));
    expect(o.shares).toEqual([[0.25, 0.75], [0.5, 0.5], null]);
    expect(o.maxShare).toBe(0.75);
    expect(o.edges).toEqual([0, 1, 2]);
  });

  it("gives log histograms their fixed edges", () => {
    const o = overlay(quantity([[1, 1]], [1]), true);
    expect(o.edges).toEqual([-2, 0, 2]);
  });
});

describe("scrub steps and gradient flow", () => {
  const c: Comparison = {
    step: 10,
    runs: [
      {
        id: "a",
        name: null,
        state: "finished",
        step: 20,
        step_shown: 10,
        recorded_steps: [0, 10, 20],
        metrics: [],
        note: null,
      },
      {
        id: "b",
        name: null,
        state: "finished",
        step: 20,
        step_shown: 5,
        recorded_steps: [0, 5, 20],
        metrics: [],
        note: null,
      },
    ],
    layers: [
      { id: "h", kind: "dense", quantities: { delta: quantity([[1], [1]], [0.1, 0.01]) } },
      { id: "y", kind: "dense", quantities: { delta: quantity([[1], null], [0.5, null]) } },
    ],
  };

  it("offers every recorded step once", () => {
    expect(scrubSteps(c)).toEqual([0, 5, 10, 20]);
  });

  it("reads RMS δ per layer for each run", () => {
    expect(gradientFlow(c)).toEqual({
      layers: ["h", "y"],
      lines: [
        { runIndex: 0, rms: [0.1, 0.5] },
        { runIndex: 1, rms: [0.01, null] },
      ],
    });
  });
});
