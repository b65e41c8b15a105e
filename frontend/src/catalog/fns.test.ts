import { describe, expect, it } from "vitest";
import { activationAt, sampleActivation } from "./activationFns";
import { lrAt, scheduleCurve } from "./schedule";

describe("activation functions", () => {
  it("gives the textbook values and derivatives", () => {
    expect(activationAt({ kind: "sigmoid" }, 0)).toEqual([0.5, 0.25]);
    expect(activationAt({ kind: "relu" }, 0)).toEqual([0, 0]); // ReLU′(0) = 0
    expect(activationAt({ kind: "leaky_relu", slope: 0.1 }, -2)).toEqual([-0.2, 0.1]);
    const [t, dt] = activationAt({ kind: "tanh" }, 1);
    expect(t).toBeCloseTo(Math.tanh(1));
    expect(dt).toBeCloseTo(1 - Math.tanh(1) ** 2);
    expect(activationAt({ kind: "step", threshold: 0.5 }, 0.4)).toEqual([0, 0]);
  });

  it("derivatives match finite differences for smooth activations", () => {
    for (const kind of ["sigmoid", "tanh", "softplus", "silu", "gelu", "elu"] as const) {
      for (const z of [-2.3, -0.4, 0.7, 1.9]) {
        const h = 1e-5;
        const numeric = (activationAt({ kind }, z + h)[0] - activationAt({ kind }, z - h)[0]) / (2 * h);
        expect(activationAt({ kind }, z)[1]).toBeCloseTo(numeric, 4);
      }
    }
  });

  it("samples the requested range", () => {
    const s = sampleActivation({ kind: "relu" }, -1, 1, 3);
    expect(s.z).toEqual([-1, 0, 1]);
    expect(s.f).toEqual([0, 0, 1]);
  });
});

describe("learning-rate schedules", () => {
  it("follows each formula", () => {
    expect(lrAt({ kind: "constant" }, 0.1, 50, 100)).toBe(0.1);
    expect(lrAt({ kind: "inverse_time", decay: 1 }, 0.1, 1, 100)).toBeCloseTo(0.05);
    expect(lrAt({ kind: "step", step_size: 10, gamma: 0.5 }, 0.1, 25, 100)).toBeCloseTo(0.025);
    expect(lrAt({ kind: "exponential", gamma: 0.9 }, 1, 2, 100)).toBeCloseTo(0.81);
    expect(lrAt({ kind: "cosine", min_lr: 0 }, 1, 50, 100)).toBeCloseTo(0.5);
    expect(lrAt({ kind: "cosine", min_lr: 0.1 }, 1, 100, 100)).toBeCloseTo(0.1);
  });

  it("builds a curve that spans the epochs", () => {
    const c = scheduleCurve({ kind: "exponential", gamma: 0.99 }, 0.1, 500, 50);
    expect(c.epoch[0]).toBe(0);
    expect(c.epoch.at(-1)).toBe(500);
    expect(c.lr.length).toBe(50);
  });
});
