import { describe, expect, it } from "vitest";
import { groupBySource, type Erratum } from "./errata";
import { buildBookModel, weightRows, type BookModel } from "./model";
import type { TraceResponse } from "./trace";
import {
  continueFrom,
  optimizerName,
  stateNames,
  stepOrigin,
  steppingOptimizer,
  updateFormula,
  walkRows,
} from "./updateRule";

// One Adam step (α = 0.001, from zero state) of y = w·x + b on x = 1, t = 0.5, as POST /trace returns
// it: g = −0.5 for w and b, so m = −0.05, v = 0.00025, m̂ = −0.5, v̂ = 0.25 (the lecture's first row).
const adamTrace = {
  loss: 0.125,
  loss_function: "half_sse",
  reduction: "sum",
  learning_rate: 0.001,
  dtype: "float64",
  step_optimizer: { kind: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  outputs: [[0]],
  outputs_after: [[0.002]],
  layers: [
    {
      id: "y",
      kind: "dense",
      activation: "linear",
      z: [[0]],
      a: [[0]],
      da_dz: [[1]],
      dE_da: [[-0.5]],
      delta: [[-0.5]],
      weights: [[0]],
      bias: [0],
      grad_weights: [[-0.5]],
      grad_bias: [-0.5],
      weights_after: [[0.001]],
      bias_after: [0.001],
      optimizer_state: {
        weights: { m: [[-0.05]], v: [[0.00025]], v_hat: [[0.25]], m_hat: [[-0.5]] },
        bias: { m: [-0.05], v: [0.00025], v_hat: [0.25], m_hat: [-0.5] },
      },
    },
  ],
} as unknown as TraceResponse;

describe("the update rule textbook mode traces", () => {
  it("offers the spec's optimiser only when it is more than plain gradient descent", () => {
    expect(steppingOptimizer({ kind: "sgd", lr: 0.1 })).toBeNull();
    expect(steppingOptimizer(undefined)).toBeNull();
    expect(steppingOptimizer({ kind: "adam" })?.kind).toBe("adam");
    expect(optimizerName({ kind: "momentum_ema" })).toBe("Momentum (EMA)");
  });

  it("writes each optimiser's update with its own numbers", () => {
    expect(updateFormula(null)).toBe("w ← w − α·Δw");
    expect(updateFormula({ kind: "momentum_ema", lr: 0.1, momentum: 0.9 })).toContain("v ← β·v + (1 − β)·g");
    expect(updateFormula({ kind: "momentum", lr: 0.1, momentum: 0.9 })).toContain("torch's form");
    const adam = updateFormula({ kind: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(adam).toContain("m̂ = m/(1 − β₁ᵗ)");
    expect(adam).toContain("α = 0.001");
  });

  it("lists the state a trace reports in the lecture's order", () => {
    expect(stateNames([{ v_hat: 1, m: 1, v: 1, m_hat: 1 }, null])).toEqual(["m", "v", "m_hat", "v_hat"]);
    expect(stateNames([{ velocity: 1 }])).toEqual(["velocity"]);
    expect(stateNames([undefined])).toEqual([]);
  });

  it("puts the optimiser's state beside each weight and its bias", () => {
    const model = buildBookModel(adamTrace, { inputs: [[1]], targets: [[0.5]] }) as BookModel;
    expect(model.optimizer?.kind).toBe("adam");
    expect(model.stateNames).toEqual(["m", "v", "m_hat", "v_hat"]);
    const rows = weightRows(model);
    const w = rows.find((r) => r.col >= 0)!;
    const b = rows.find((r) => r.col < 0)!;
    expect(w.state).toEqual({ m: -0.05, v: 0.00025, m_hat: -0.5, v_hat: 0.25 });
    expect(b.state.m_hat).toBe(-0.5);
    expect(w.after).toBe(0.001);
  });

  it("has no state columns for the book's plain step", () => {
    const plain = {
      ...adamTrace,
      step_optimizer: null,
      layers: adamTrace.layers.map((l) => ({ ...l, optimizer_state: null })),
    } as TraceResponse;
    const model = buildBookModel(plain, { inputs: [[1]], targets: [[0.5]] }) as BookModel;
    expect(model.stateNames).toEqual([]);
    expect(weightRows(model)[0]!.state).toEqual({});
  });

  it("traces one example alone for a stochastic update", () => {
    const rows = { inputs: [[1], [2], [3]], targets: [[0], [1], [0]], of: 10 };
    expect(walkRows(rows, null)).toBe(rows);
    expect(walkRows(rows, 1)).toEqual({ inputs: [[2]], targets: [[1]] });
    expect(walkRows(rows, 7)).toBe(rows);
  });
});

describe("all errata", () => {
  it("are grouped by lecture in the order the lectures first appear", () => {
    const e = (source: string, example: string): Erratum => ({
      example,
      quantity: "q",
      slide_value: "1",
      correct_value: "2",
      source,
    });
    const groups = groupBySource([e("Kelleher", "a"), e("CNN", "b"), e("Kelleher", "c")]);
    expect(groups.map(([s, items]) => [s, items.map((x) => x.example)])).toEqual([
      ["Kelleher", ["a", "c"]],
      ["CNN", ["b"]],
    ]);
  });
});

describe("an optimiser's later steps", () => {
  it("start from the weights and the state the last trace left, after its steps", () => {
    const request = {
      network: {
        nodes: [
          { id: "x", kind: "input", shape: [1] },
          { id: "y", kind: "dense", units: 1, weights: [[0]], bias: [0] },
        ],
      },
      inputs: [[1]],
      targets: [[0.5]],
    } as unknown as Parameters<typeof continueFrom>[0];
    const next = continueFrom(request, adamTrace, 1);
    expect(next.network.nodes[1]).toMatchObject({ weights: [[0.001]], bias: [0.001] });
    expect(next.optimizer_state).toEqual({ y: adamTrace.layers[0]!.optimizer_state });
    expect(next.optimizer_t).toBe(1);
    expect(next.inputs).toBe(request.inputs);
  });

  it("say where each step starts from", () => {
    expect(stepOrigin(1)).toBe(" from zero state");
    expect(stepOrigin(2)).toBe(", from the state step 1 left");
    expect(stepOrigin(4)).toBe(", from the state steps 1–3 left");
  });
});
