import { describe, expect, it } from "vitest";
import { RunHistories, specDiffLabel } from "./runHistory";

const spec = (lr: number, act = "sigmoid", seed = 0) => ({
  version: 1,
  network: {
    nodes: [
      { id: "x", kind: "input", shape: [2] },
      { id: "h1", kind: "dense", units: 3, activation: act },
    ],
  },
  training: { optimizer: { kind: "sgd", lr } },
  seed,
});

describe("specDiffLabel", () => {
  it("names what changed between two runs", () => {
    expect(specDiffLabel(null, spec(0.2))).toBe("first run");
    expect(specDiffLabel(spec(0.2), spec(0.1))).toBe("lr 0.2 → 0.1");
    expect(specDiffLabel(spec(0.2), spec(0.2, "relu"))).toBe("h1 activation sigmoid → relu");
    expect(specDiffLabel(spec(0.2), spec(0.2, "sigmoid", 3))).toBe("seed 0 → 3");
    expect(specDiffLabel(spec(0.2), spec(0.2))).toBe("same spec");
    expect(specDiffLabel(spec(0.2), spec(0.1, "tanh"), 1)).toBe("h1 activation sigmoid → tanh, +1 more");
  });

  it("tells one change on many layers once and drops parameters of a replaced scheme", () => {
    const net = (init: object) => ({
      network: {
        nodes: [{ id: "x", kind: "input" }, ...["h1", "h2", "h3"].map((id) => ({ id, kind: "dense", init }))],
      },
    });
    expect(
      specDiffLabel(net({ scheme: "normal", std: 0.01 }), net({ scheme: "xavier_normal", mode: "fan_in" })),
    ).toBe("3 layers init.scheme normal → xavier_normal");
  });
});

describe("RunHistories", () => {
  it("keeps the last few runs and marks the best validation step", () => {
    const h = new RunHistories(2, 100);
    h.ensure("a", spec(0.2));
    h.record({ run: "a", step: 1, loss: 1, val_loss: 1.2 });
    h.record({ run: "a", step: 2, loss: 0.5, val_loss: 0.7 });
    h.record({ run: "a", step: 3, loss: 0.3, val_loss: 0.9 });
    expect(h.get("a")?.bestStep).toBe(2);
    h.ensure("b", spec(0.1));
    expect(h.get("b")?.label).toBe("lr 0.2 → 0.1");
    h.ensure("c", spec(0.05));
    expect(h.list().map((r) => r.run)).toEqual(["b", "c"]);
    expect(h.record({ run: "c", step: 1, loss: 2 })).toBe(true);
    expect(h.record({ run: "c", step: 1, loss: 2 })).toBe(false);
    expect(h.get("c")?.series.columns()[1]).toEqual([2]);
  });
});

describe("RunHistories.merge", () => {
  it("adds the steps frames missed and recomputes the best validation step", () => {
    const h = new RunHistories(2, 100);
    h.record({ run: "a", step: 24, loss: 0.5, val_loss: 0.95 });
    h.record({ run: "a", step: 30, loss: 0.4, val_loss: 0.97 });
    const rows = [
      { step: 1, loss: 2, val_loss: 1.5 },
      { step: 2, loss: 1, val_loss: 0.9 },
      { step: 24, loss: 0.5, val_loss: 0.95 },
    ];
    expect(h.merge("a", rows)).toBe(true);
    const cols = h.get("a")!.series.columns();
    expect(cols[0]).toEqual([1, 2, 24, 30]);
    expect(cols[1]).toEqual([2, 1, 0.5, 0.4]);
    expect(h.get("a")?.bestStep).toBe(2);
    expect(h.merge("a", rows)).toBe(false);
    expect(h.merge("zzz", rows)).toBe(false);
    // live frames keep appending after a merge
    expect(h.record({ run: "a", step: 31, loss: 0.3 })).toBe(true);
  });
});
