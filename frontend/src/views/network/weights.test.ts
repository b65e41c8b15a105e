import { describe, expect, it } from "vitest";
import { edgeStyle, EDGE_MAX_WIDTH, EDGE_MIN_WIDTH } from "../logic/edgeStyle";
import { NEG_CSS, POS_CSS } from "../../charts/palette";
import {
  bucketStyle,
  drawableWeights,
  EDGE_LEVELS,
  edgeBucket,
  edgePlan,
  edgeWeight,
  layerWeights,
  meanRange,
  unitMeans,
} from "./weights";

// A 2 → 3 dense layer: W[out][in] = 10·out + in, sent row-major.
const layer = {
  id: "h1",
  kind: "dense",
  activation: "tanh",
  n_in: 2,
  n_out: 3,
  W_values: new Float32Array([0, 1, 10, 11, 20, 21]),
  a_mean: [0.5, -0.25, 0],
};

describe("per-edge weights of the network diagram", () => {
  it("draws a layer's weights edge by edge only when its inputs are the previous column's units", () => {
    // conv (3 maps) → flatten (3·2·2 = 12 values) → dense 2: W_values index the 12 flattened
    // inputs, not the 3 conv nodes drawn before it
    const conv = { id: "c1", kind: "conv2d", n_in: 9, n_out: 3 };
    const fc = { id: "fc", kind: "dense", n_in: 12, n_out: 2, W_values: new Float32Array(24) };
    expect(drawableWeights([conv, fc])).toEqual([null, null]);
    expect(edgePlan([conv, fc], [1, 3, 2]).mode).toBe("bundles");
    const next = { id: "h2", kind: "dense", n_in: 3, n_out: 1, W_values: [1, 2, 3] };
    expect(drawableWeights([layer, next]).map((w) => w?.nIn ?? null)).toEqual([2, 3]);
  });

  it("maps W_values[out·n_in + in] to the edge from input unit `in` to output unit `out`", () => {
    const w = layerWeights(layer);
    expect(w).not.toBeNull();
    for (let out = 0; out < 3; out++) {
      for (let inp = 0; inp < 2; inp++) expect(edgeWeight(w!, inp, out)).toBe(10 * out + inp);
    }
    expect(edgeWeight(w!, 2, 0)).toBeNaN(); // outside the matrix
    expect(edgeWeight(w!, 0, 3)).toBeNaN();
  });

  it("falls back (null) when the frame has no W_values, or they do not fit n_in·n_out", () => {
    expect(layerWeights({ id: "big", n_in: 64, n_out: 64 })).toBeNull();
    expect(layerWeights({ ...layer, W_values: null })).toBeNull();
    expect(layerWeights({ ...layer, W_values: [1, 2, 3] })).toBeNull();
    expect(layerWeights({ ...layer, n_in: undefined })).toBeNull();
    expect(layerWeights(null)).toBeNull();
    expect(unitMeans({ id: "big", n_out: 64 })).toBeNull();
    expect(unitMeans({ ...layer, a_mean: [1] })).toBeNull();
    expect(Array.from(unitMeans(layer)!)).toEqual([0.5, -0.25, 0]);
  });

  it("plans per-edge buckets where weights are known and bundles elsewhere", () => {
    const big = { id: "h2", kind: "dense", n_in: 3, n_out: 40 };
    const plan = edgePlan([layer, big], [2, 3, 12]);
    expect(plan.mode).toBe("mixed");
    expect(plan.maxAbs).toBe(21);
    expect(plan.buckets[1]).toBeNull();
    const b = plan.buckets[0]!;
    // buckets indexed [to · shownIn + from]
    expect(b[2 * 2 + 1]).toBe(EDGE_LEVELS); // W[2][1] = 21, the largest
    expect(b[0]).toBe(1); // W[0][0] = 0: a known weight, drawn at the thinnest level
    expect(b[1 * 2 + 0]).toBe(Math.round((10 / 21) * EDGE_LEVELS)); // W[1][0] = 10
    expect(edgePlan([big], [3, 12]).mode).toBe("bundles");
    expect(edgePlan([layer], [2, 3]).mode).toBe("weights");
  });

  it("changes its key only when a drawn bucket changes", () => {
    const a = edgePlan([layer], [2, 3]).key;
    const tiny = { ...layer, W_values: new Float32Array([0, 1, 10, 11, 20, 21.01]) };
    expect(edgePlan([tiny], [2, 3]).key).toBe(a);
    const flipped = { ...layer, W_values: new Float32Array([0, 1, -10, 11, 20, 21]) };
    expect(edgePlan([flipped], [2, 3]).key).not.toBe(a);
  });

  it("colours by sign and widens monotonically with |w|", () => {
    expect(edgeStyle(0.5, 1).stroke).toBe(POS_CSS);
    expect(edgeStyle(-0.5, 1).stroke).toBe(NEG_CSS);
    let prev = -Infinity;
    for (const w of [0, 0.1, 0.3, 0.6, 1, 2]) {
      const pos = edgeStyle(w, 1);
      const neg = edgeStyle(-w, 1);
      expect(pos.strokeWidth).toBe(neg.strokeWidth); // symmetric in the sign
      expect(pos.strokeWidth).toBeGreaterThanOrEqual(prev);
      expect(pos.strokeWidth).toBeGreaterThanOrEqual(EDGE_MIN_WIDTH);
      expect(pos.strokeWidth).toBeLessThanOrEqual(EDGE_MAX_WIDTH);
      prev = pos.strokeWidth;
    }
    expect(edgeStyle(1, 1).strokeWidth).toBeGreaterThan(edgeStyle(0.1, 1).strokeWidth);
  });

  it("quantises edges into sign × level buckets that keep sign and order", () => {
    expect(edgeBucket(NaN, 1)).toBe(0);
    expect(edgeBucket(0.5, 0)).toBe(0);
    expect(edgeBucket(1, 1)).toBe(EDGE_LEVELS);
    expect(edgeBucket(-1, 1)).toBe(-EDGE_LEVELS);
    expect(edgeBucket(1e-6, 1)).toBe(1); // a non-zero weight is never drawn as "unknown"
    let prev = 0;
    for (let w = 0.01; w <= 1; w += 0.01) {
      const b = edgeBucket(w, 1);
      expect(b).toBeGreaterThanOrEqual(prev);
      expect(edgeBucket(-w, 1)).toBe(-b);
      prev = b;
    }
    expect(bucketStyle(3).stroke).toBe(POS_CSS);
    expect(bucketStyle(-3).stroke).toBe(NEG_CSS);
    expect(bucketStyle(-3).strokeWidth).toBeLessThan(bucketStyle(-4).strokeWidth);
    expect(bucketStyle(0).stroke).toBe(edgeStyle(NaN, 0).stroke);
  });

  it("scales unit means by the activation's range, or by the largest |mean|", () => {
    expect(meanRange(layer, [0.5, -0.25])).toBe(1);
    expect(meanRange({ id: "r", activation: "relu" }, [0.5, 2, -3])).toBe(3);
    expect(meanRange({ id: "r", activation: "relu" }, [0, 0])).toBe(1);
  });
});
