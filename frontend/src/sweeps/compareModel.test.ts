import { describe, expect, it } from "vitest";
import type { Comparison, CompareQuantity } from "../net/api";
import { curveColumns, differences, gradientFlow, overlay, referenceIndex, scrubSteps } from "./compareModel";

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

describe("differences", () => {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it("shows a run minus itself as zero in every bin", () => {
    const d = differences(quantity([[3, 1, 4, 1, 5]], [1]), 0);
    expect(d.diffs).toEqual([[0, 0, 0, 0, 0]]);
    expect(d.maxAbs).toBe(0);
  });

  it("subtracts the reference run's shares from each run's, bin by bin", () => {
    const d = differences(
      quantity(
        [
          [1, 3],
          [2, 2],
          [4, 0],
        ],
        [1, 1, 1],
      ),
      1,
    );
    expect(d.diffs).toEqual([
      [-0.25, 0.25],
      [0, 0],
      [0.5, -0.5],
    ]);
    expect(d.maxAbs).toBe(0.5);
    expect(d.reference).toBe(1);
    expect(d.edges).toEqual([0, 1, 2]);
  });

  it("compares shares, not counts, so sample sizes do not matter", () => {
    const d = differences(
      quantity(
        [
          [1, 3, 6],
          [10, 30, 60],
        ],
        [1, 1],
      ),
      0,
    );
    for (const v of d.diffs[1]!) expect(v).toBeCloseTo(0, 15);
  });

  it("gives differences that sum to zero for every run", () => {
    const counts = [
      [5, 0, 7, 1, 9, 2],
      [0, 3, 3, 3, 0, 11],
      [1, 1, 1, 1, 1, 1],
    ];
    for (const ref of [0, 1, 2]) {
      const d = differences(quantity(counts, [1, 1, 1]), ref);
      for (const run of d.diffs) expect(sum(run!)).toBeCloseTo(0, 12);
    }
  });

  it("has nothing to show for a run lacking the quantity, nor for any run when the reference lacks it", () => {
    expect(differences(quantity([[1, 1], null], [1, null]), 0).diffs).toEqual([[0, 0], null]);
    expect(differences(quantity([[1, 1], null], [1, null]), 1).diffs).toEqual([null, null]);
  });

  it("works on the log histograms' fixed edges too", () => {
    const d = differences(
      quantity(
        [
          [1, 1],
          [1, 3],
        ],
        [1, 1],
      ),
      0,
      true,
    );
    expect(d.edges).toEqual([-2, 0, 2]);
    expect(d.diffs[1]).toEqual([-0.25, 0.25]);
  });
});

describe("referenceIndex", () => {
  it("finds the reference among the compared runs, else takes the first", () => {
    expect(referenceIndex(["a", "b", "c"], "c")).toBe(2);
    expect(referenceIndex(["a", "b", "c"], "gone")).toBe(0);
    expect(referenceIndex(["a", "b"], null)).toBe(0);
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
