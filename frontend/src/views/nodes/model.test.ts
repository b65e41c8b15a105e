import { describe, expect, it } from "vitest";
import type { FrameLike } from "../logic/frame";
import {
  addSplit,
  bnRows,
  dropConnectLayers,
  liveNodes,
  maskAxes,
  maskCaption,
  maskGrid,
  nodeHistModel,
  nodeTitle,
  type NodeLike,
} from "./model";

const hist = { lo: -1, hi: 1, counts: [1, 2, 1] };
const q = (stats: object = {}) => ({
  stats: { mean: 0, std: 0.5, rms: 0.5, frac_nonfinite: 0, ...stats },
  hist,
  loghist: { ...hist, zeros: 0 },
});

const mask = {
  drop_probability: 0.25,
  keep_probability: 0.75,
  kept_fraction: 0.7,
  full_shape: [40, 100],
  shape: [2, 3],
  mask: [1, 0, 1, 1, 1, 0],
};

describe("nodes view model", () => {
  it("decodes a mask into kept cells and counts the dropped ones", () => {
    const g = maskGrid(mask);
    expect(g).toEqual({ rows: 2, cols: 3, kept: [true, false, true, true, true, false], dropped: 2 });
    expect(maskGrid({ ...mask, mask: [1, 0] })).toBeNull();
    expect(maskGrid(null)).toBeNull();
  });

  it("says the kept share beside ρ and which part of the mask the grid shows", () => {
    expect(maskCaption(mask)).toBe("kept 70 % this step · ρ = 0.75 (p = 0.25)");
    expect(maskCaption(null)).toBe("no step has run yet");
    expect(maskAxes(mask, "dropout")).toBe("rows: first 2 of 40 examples · columns: first 3 of 100 units");
    expect(maskAxes({ ...mask, full_shape: [2, 3] }, "dropconnect")).toBe(
      "rows: 2 units · columns: 3 inputs",
    );
  });

  it("lists batch norm's batch and running statistics with γ and β per feature", () => {
    const bn: NodeLike = {
      id: "bn1",
      kind: "batchnorm",
      units: 3,
      batchnorm: {
        channels: 3,
        eps: 1e-5,
        momentum: 0.1,
        batch_mean: [2.5, 1, 0],
        batch_var: [1.25, 2, 3],
        running_mean: [0.25, 0.1, 0],
        running_var: [1.025, 1.1, 1.2],
        gamma: [2, 1, 1],
        beta: [0.5, 0, 0],
      },
    };
    const rows = bnRows(bn, 2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      channel: 0,
      batchMean: 2.5,
      batchVar: 1.25,
      runningMean: 0.25,
      runningVar: 1.025,
      gamma: 2,
      beta: 0.5,
    });
    expect(nodeTitle(bn)).toBe("bn1 · batch norm over 3 features");
    const m = nodeHistModel({ ...bn, x: q(), x_hat: q(), y: q({ mean: 0.5 }) }, "linear");
    expect(m.cols.map((c) => c.label)).toEqual(["x before", "x̂", "y after"]);
    expect(m.cells[0][2]?.stat).toBe("μ 0.5 σ 0.5");
  });

  it("shows the δ an add sends into each branch equal to the add's δ, and stochastic depth's choice", () => {
    const add: NodeLike = {
      id: "sum",
      kind: "add",
      inputs: ["h1", "h2"],
      delta: q({ rms: 0.0016 }),
      branches: [
        { id: "h1", value: q(), delta_rms: 0.0016 },
        { id: "h2", value: q(), delta_rms: 0 },
      ],
      kept: false,
      survival_probability: 0.8,
    };
    const s = addSplit(add);
    expect(s.delta).toBe(0.0016);
    expect(s.branches).toEqual([
      { id: "h1", deltaRms: 0.0016, equal: true },
      { id: "h2", deltaRms: 0, equal: false },
    ]);
    expect(s.keptText).toBe("residual branch dropped this step: δ does not enter it (survival 0.8)");
    expect(addSplit({ ...add, kept: true }).keptText).toBe("residual branch kept this step (survival 0.8)");
    expect(addSplit({ ...add, survival_probability: null }).keptText).toBeNull();
    const m = nodeHistModel({ ...add, y: q() }, "linear");
    expect(m.cols.map((c) => `${c.label}/${c.sublabel}`)).toEqual([
      "h1/skip",
      "h2/branch",
      "sum/leaves the add",
    ]);
  });

  it("shows an activation node's z and a, flagging saturation", () => {
    const act: NodeLike = {
      id: "a1",
      kind: "activation",
      activation: "sigmoid",
      x: q({ frac_saturated: 0.3 }),
      y: q(),
    };
    const m = nodeHistModel(act, "log");
    expect(m.cols.map((c) => c.label)).toEqual(["z", "a"]);
    expect(m.cells[0][0]?.note).toBe("saturated 30 %");
    expect(nodeTitle(act)).toBe("a1 · activation sigmoid");
  });

  it("finds the frame's nodes and its DropConnect layers, tolerating frames without them", () => {
    const frame: FrameLike = {
      layers: [
        { id: "h1", drop_connect: mask },
        { id: "h2", drop_connect: null },
      ],
      nodes: [{ id: "d", kind: "dropout", mask }, { kind: "dropout" } as unknown as NodeLike],
    };
    expect(liveNodes(frame).map((n) => n.id)).toEqual(["d"]);
    expect(dropConnectLayers(frame).map((l) => l.id)).toEqual(["h1"]);
    expect(liveNodes(null)).toEqual([]);
    expect(dropConnectLayers({})).toEqual([]);
    // a dropout node of the lean paths carries only its mask: no histograms to draw
    expect(nodeHistModel(liveNodes(frame)[0], "linear").cols).toEqual([]);
  });
});
