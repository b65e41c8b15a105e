import { describe, expect, it } from "vitest";
import type { DatasetSpec } from "../../catalog/types";
import type { LayerLike } from "../logic/frame";
import type { HitGeometry } from "./hit";
import {
  avoidFor,
  fmt4,
  inputFeatureNames,
  placeTooltip,
  tooltipContent,
  type HoverContext,
} from "./tooltip";

// x (2 inputs) → h1 (3 tanh units) → h2 (2 units) → big (64 × 2, summaries only)
const h1: LayerLike = {
  id: "h1",
  kind: "dense",
  activation: "tanh",
  n_in: 2,
  n_out: 3,
  // W[out][in] = 10·out + in + 0.12345, row-major
  W_values: [0.12345, 1.12345, 10.12345, 11.12345, 20.12345, 21.12345],
  a_mean: [0.5, -0.25, 0],
};
const h2: LayerLike = {
  id: "h2",
  kind: "dense",
  activation: "relu",
  n_in: 3,
  n_out: 2,
  W_values: [-0.001, 0.002, 0.003, 0.004, -0.00005, 0.006],
  a_mean: [1, 2],
};
const big: LayerLike = {
  id: "big",
  kind: "dense",
  activation: "sigmoid",
  n_in: 2,
  n_out: 64,
  W: { stats: { rms: 0.0412345 } },
  a: { stats: { mean: 0.61 } },
};
const ctx: HoverContext = { layers: [h1, h2, big], step: 1240, inputNames: ["x", "y"] };

describe("4-significant-digit numbers", () => {
  it("keeps 4 significant digits (trailing zeros too), a real minus sign and ×10ⁿ for long ones", () => {
    expect(fmt4(0.123456)).toBe("0.1235");
    expect(fmt4(-0.5)).toBe("−0.5000");
    expect(fmt4(12.3449)).toBe("12.34");
    expect(fmt4(0.0012346)).toBe("0.001235");
    expect(fmt4(0.00012346)).toBe("1.235×10⁻⁴");
    expect(fmt4(9999.4)).toBe("9999");
    expect(fmt4(-1.5e-9)).toBe("−1.500×10⁻⁹");
    expect(fmt4(123456)).toBe("1.235×10⁵");
    expect(fmt4(0)).toBe("0");
    expect(fmt4(NaN)).toBe("NaN");
    expect(fmt4(-Infinity)).toBe("−∞");
    expect(fmt4(null)).toBe("–");
  });
});

describe("network hover tooltip", () => {
  it("names a weight of the first layer by its input feature, with its value and the step", () => {
    expect(tooltipContent({ kind: "edge", layer: 0, from: 1, to: 2 }, ctx)).toEqual({
      title: "w[h1] 3←2 = 21.12",
      lines: ["from input 2 (y) to unit 3 of h1", "step 1240"],
    });
  });

  it("names a weight of a later layer by the units it joins: W[to][from] of W_values", () => {
    expect(tooltipContent({ kind: "edge", layer: 1, from: 1, to: 1 }, ctx)).toEqual({
      title: "w[h2] 2←2 = −5.000×10⁻⁵",
      lines: ["from unit 2 of h1 to unit 2 of h2", "step 1240"],
    });
    expect(tooltipContent({ kind: "edge", layer: 1, from: 0, to: 0 }, ctx)?.title).toBe(
      "w[h2] 1←1 = −0.001000",
    );
  });

  it("leaves out what the frame does not say (no names, no step)", () => {
    const bare = { layers: [h1] };
    expect(tooltipContent({ kind: "edge", layer: 0, from: 0, to: 0 }, bare)).toEqual({
      title: "w[h1] 1←1 = 0.1235",
      lines: ["from input 1 to unit 1 of h1"],
    });
    // names that do not match the inputs one for one are not used
    const wrong = { layers: [h1], inputNames: ["x", "y", "x²"] };
    expect(tooltipContent({ kind: "node", column: 0, unit: 0 }, wrong)?.title).toBe("input 1");
  });

  it("shows a unit's activation function and its mean a over the batch", () => {
    expect(tooltipContent({ kind: "node", column: 1, unit: 1 }, ctx)).toEqual({
      title: "h1 unit 2 · tanh",
      lines: ["mean a over the batch = −0.2500", "step 1240"],
    });
    // a layer without per-unit means: the layer's mean, said as such
    expect(tooltipContent({ kind: "node", column: 3, unit: 5 }, ctx)).toEqual({
      title: "big unit 6 · sigmoid",
      lines: ["mean a over the batch and all 64 units = 0.6100", "step 1240"],
    });
  });

  it("shows an input node's feature index and name", () => {
    expect(tooltipContent({ kind: "node", column: 0, unit: 0 }, ctx)).toEqual({
      title: "input 1: x",
      lines: ["feature 1 of 2, feeds h1", "step 1240"],
    });
  });

  it("shows a bundle's RMS weight and how many weights it stands for", () => {
    expect(tooltipContent({ kind: "bundle", layer: 2 }, ctx)).toEqual({
      title: "W[big] rms = 0.04123",
      lines: ["all 128 weights from h2 to big, drawn as one bundle", "step 1240"],
    });
    // an edge hit on a layer whose frame no longer carries every weight falls back to the bundle
    expect(tooltipContent({ kind: "edge", layer: 2, from: 0, to: 0 }, ctx)?.title).toBe(
      "W[big] rms = 0.04123",
    );
  });

  it("says nothing for nothing, or for a layer the frame does not have", () => {
    expect(tooltipContent(null, ctx)).toBeNull();
    expect(tooltipContent({ kind: "node", column: 9, unit: 0 }, ctx)).toBeNull();
    expect(tooltipContent({ kind: "edge", layer: 7, from: 0, to: 0 }, ctx)).toBeNull();
    expect(tooltipContent({ kind: "node", column: 0, unit: 0 }, { layers: [] })).toBeNull();
  });

  it("calls a conv layer's nodes channels; a dense layer after it reading flattened maps is a bundle", () => {
    const conv: LayerLike = { id: "c1", kind: "conv2d", activation: "relu", n_in: 9, n_out: 4 };
    const fc: LayerLike = {
      id: "fc",
      kind: "dense",
      n_in: 100,
      n_out: 2,
      W_values: new Array(200).fill(0.5),
    };
    const c = { layers: [conv, fc] };
    expect(tooltipContent({ kind: "node", column: 1, unit: 3 }, c)?.title).toBe("c1 channel 4 · relu");
    expect(tooltipContent({ kind: "node", column: 0, unit: 0 }, c)).toEqual({
      title: "input",
      lines: ["feeds c1"],
    });
    expect(tooltipContent({ kind: "edge", layer: 1, from: 3, to: 1 }, c)?.lines[0]).toBe(
      "all 200 weights from c1 to fc, drawn as one bundle",
    );
  });
});

describe("input feature names", () => {
  const datasets: DatasetSpec[] = [
    {
      name: "circle",
      title: "Circle",
      group: "2-D",
      task: "binary",
      description: "",
      params: [{ name: "features", type: "multiselect", default: ["x", "y"] }],
    },
    {
      name: "power_plant",
      title: "Power plant",
      group: "tables",
      task: "regression",
      description: "",
      params: [],
    },
  ];
  it("writes a 2-D set's chosen features as the UI does, or the catalog's default", () => {
    // in the order the server stacks them (x, y, x², y², x·y, sin x, sin y), not the spec's
    expect(inputFeatureNames({ dataset: "circle", features: ["x", "x2", "sin_y", "xy"] }, datasets)).toEqual([
      "x",
      "x²",
      "x·y",
      "sin y",
    ]);
    expect(inputFeatureNames({ dataset: "circle" }, datasets)).toEqual(["x", "y"]);
    expect(inputFeatureNames(undefined, datasets)).toEqual(["x", "y"]); // circle is the default set
  });
  it("has none for other data, or before the catalog arrived", () => {
    expect(inputFeatureNames({ dataset: "power_plant" }, datasets)).toBeNull();
    expect(inputFeatureNames({ dataset: "circle" }, [])).toBeNull();
  });
});

describe("tooltip placement", () => {
  it("sits below right of the pointer where it fits", () => {
    expect(placeTooltip(100, 50, 200, 60, 800, 380)).toEqual({ left: 114, top: 64 });
  });
  it("flips left of / above the pointer near the right / bottom edge", () => {
    expect(placeTooltip(700, 350, 200, 60, 800, 380)).toEqual({ left: 486, top: 276 });
  });
  it("keeps a hovered edge in sight: above a line running down to the right, below one running up", () => {
    expect(placeTooltip(100, 150, 200, 60, 800, 380, { slope: 0.5 })).toEqual({ left: 114, top: 76 });
    expect(placeTooltip(100, 150, 200, 60, 800, 380, { slope: -0.5 })).toEqual({ left: 114, top: 164 });
    // flipped to the left of the pointer, the sides swap
    expect(placeTooltip(700, 150, 200, 60, 800, 380, { slope: 0.5 })).toEqual({ left: 486, top: 164 });
    expect(placeTooltip(700, 150, 200, 60, 800, 380, { slope: -0.5 })).toEqual({ left: 486, top: 76 });
    // no room below-right of a line running up: above-left, still clear of it
    expect(placeTooltip(400, 350, 200, 60, 800, 380, { slope: -0.5 })).toEqual({ left: 186, top: 276 });
    // no room on either clear side: below-right after all
    expect(placeTooltip(100, 30, 200, 60, 800, 380, { slope: 0.5 })).toEqual({ left: 114, top: 44 });
  });
  it("sits beside a hovered node, not over it", () => {
    // node from x 80 to 120, pointer inside it: the box starts right of the node, centred on the pointer
    expect(placeTooltip(100, 150, 200, 60, 800, 380, { span: [80, 120] })).toEqual({ left: 127, top: 120 });
    // no room on the right: left of the node
    expect(placeTooltip(700, 150, 200, 60, 800, 380, { span: [680, 720] })).toEqual({ left: 473, top: 120 });
  });
  it("never runs off the box, even when flipping would", () => {
    // too tall to fit below or above a pointer in the middle of a short box
    expect(placeTooltip(300, 40, 200, 70, 800, 100)).toEqual({ left: 314, top: 30 });
    // wider than the box: pinned to its left edge
    expect(placeTooltip(50, 10, 900, 40, 800, 380)).toEqual({ left: 0, top: 24 });
    // pointer at the very corner
    const p = placeTooltip(799, 379, 200, 60, 800, 380);
    expect(p.left + 200).toBeLessThanOrEqual(800);
    expect(p.top + 60).toBeLessThanOrEqual(380);
    expect(p.left).toBeGreaterThanOrEqual(0);
    expect(p.top).toBeGreaterThanOrEqual(0);
  });
});

describe("what the tooltip keeps clear", () => {
  const geo: HitGeometry = {
    node: 20,
    buckets: [null],
    columns: [
      {
        id: "input",
        x: 100,
        units: 2,
        shown: 2,
        nodes: [0, 1].map((u) => ({ layer: "input", unit: u, x: 100, y: 100 + 200 * u })),
      },
      { id: "h", x: 300, units: 1, shown: 1, nodes: [{ layer: "h", unit: 0, x: 300, y: 200 }] },
    ],
  };
  it("is the hovered node's sides, or the hovered edge's slope on screen", () => {
    expect(avoidFor(geo, { kind: "node", column: 1, unit: 0 })).toEqual({ span: [290, 310] });
    expect(avoidFor(geo, { kind: "edge", layer: 0, from: 0, to: 0 })).toEqual({ slope: 100 / 180 });
    expect(avoidFor(geo, { kind: "edge", layer: 0, from: 1, to: 0 })).toEqual({ slope: -100 / 180 });
  });
  it("is nothing for a bundle, a stale hit or no hit", () => {
    expect(avoidFor(geo, { kind: "bundle", layer: 0 })).toBeUndefined();
    expect(avoidFor(geo, { kind: "node", column: 1, unit: 4 })).toBeUndefined();
    expect(avoidFor(geo, { kind: "edge", layer: 3, from: 0, to: 0 })).toBeUndefined();
    expect(avoidFor(null, { kind: "node", column: 0, unit: 0 })).toBeUndefined();
    expect(avoidFor(geo, null)).toBeUndefined();
  });
});
