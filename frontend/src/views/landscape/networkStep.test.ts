import { describe, expect, it } from "vitest";
import { layerRows, type TraceLayer } from "./networkStep";

const layer = {
  id: "y",
  kind: "dense",
  weights: [[0.5, -0.25]],
  bias: [0.1],
  grad_weights: [[0.2, null]],
  grad_bias: [0.3],
  weights_after: [[0.499, -0.249]],
  bias_after: [0.099],
  optimizer_state: {
    weights: { m: [[0.02, 0.01]], m_hat: [[0.2, 0.1]] },
    bias: { m: [0.03], m_hat: [0.3] },
  },
} as unknown as TraceLayer;

describe("layerRows", () => {
  it("lists weights then biases, each with its gradient, state and new value", () => {
    const rows = layerRows(layer);
    expect(rows.map((r) => r.name)).toEqual(["w1", "w2", "b1"]);
    expect(rows[0]).toEqual({
      name: "w1",
      before: "0.5",
      grad: "0.2",
      state: { m: "0.02", m_hat: "0.2" },
      after: "0.499",
    });
    expect(rows[1]!.grad).toBe("overflow");
    expect(rows[2]!.state).toEqual({ m: "0.03", m_hat: "0.3" });
  });

  it("stops at the row limit", () => {
    expect(layerRows(layer, 2)).toHaveLength(2);
  });

  it("has no state columns for plain gradient descent", () => {
    expect(layerRows({ ...layer, optimizer_state: null })[0]!.state).toEqual({});
  });
});
