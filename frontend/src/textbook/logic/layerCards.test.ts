import { describe, expect, it } from "vitest";
import { denseWeights, layerCard, needsLayerCards } from "./layerCards";
import type { TraceLayer } from "./trace";

const bn = {
  id: "bn",
  kind: "batchnorm",
  x: [[1], [2]],
  mean: [1.5],
  var: [0.25],
  x_hat: [[-1], [1]],
  a: [[-1.5], [2.5]],
  delta: [[-1.5], [2.5]],
  grad_gamma: [4],
  grad_beta: [1],
  gamma_after: [1.6],
  beta_after: [0.4],
} as unknown as TraceLayer;

describe("a traced node as a textbook card", () => {
  it("lists batch norm's quantities in walk order, batch statistics as one value", () => {
    const card = layerCard(bn);
    expect(card.rows.map((r) => r.key)).toEqual([
      "x",
      "mean",
      "var",
      "x_hat",
      "a",
      "delta",
      "grad_gamma",
      "grad_beta",
      "gamma_after",
      "beta_after",
    ]);
    const mean = card.rows.find((r) => r.key === "mean")!;
    expect(mean).toMatchObject({ batch: true, values: [1.5], phase: "forward" });
    expect(card.rows.find((r) => r.key === "x_hat")!.values).toEqual([-1, 1]);
    expect(card.rows.find((r) => r.key === "gamma_after")!.phase).toBe("updated");
  });

  it("gives each feature its own row, one value per example", () => {
    const drop = {
      id: "d",
      kind: "dropout",
      keep_probability: 0.5,
      mask: [
        [1, 0],
        [0, 1],
      ],
      a: [
        [2, 0],
        [0, 4],
      ],
    } as unknown as TraceLayer;
    const card = layerCard(drop);
    expect(card.title).toContain("ρ = 0.5");
    expect(card.rows.filter((r) => r.key === "mask").map((r) => r.values)).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it("shows a dense node's weights with their gradient and the step", () => {
    const dense = {
      id: "y",
      kind: "dense",
      weights: [[0.5, -1]],
      bias: [0.1],
      grad_weights: [[2, 3]],
      grad_bias: [1],
      weights_after: [[0.3, -1.3]],
      bias_after: [0],
    } as unknown as TraceLayer;
    expect(denseWeights(dense)).toEqual([
      ["b[1]", 0.1, 1, 0],
      ["W[1,1]", 0.5, 2, 0.3],
      ["W[1,2]", -1, 3, -1.3],
    ]);
  });

  it("is the walk for networks with batch norm, activation, dropout or add nodes", () => {
    expect(needsLayerCards([bn])).toBe(true);
    expect(needsLayerCards([{ id: "y", kind: "dense" } as unknown as TraceLayer])).toBe(false);
  });
});
