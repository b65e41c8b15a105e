import { describe, expect, it } from "vitest";
import type { SweepPublic } from "../net/api";
import { parallelModel } from "./parallel";

function sweep(): SweepPublic {
  const point = (i: number, values: unknown[], loss: number | null, acc: number | null) => ({
    index: i,
    values,
    run_id: loss === null ? null : `r${i}`,
    state: loss === null ? ("queued" as const) : ("finished" as const),
    step: 0,
    epoch: 0,
    final_metrics:
      loss === null
        ? null
        : { step: 1, epoch: 1, loss, accuracy: acc, val_loss: null, val_accuracy: null, lr: null },
    stop_reason: null,
  });
  return {
    id: "s",
    name: null,
    spec: {},
    state: "running",
    created_at: "",
    updated_at: "",
    axes: [
      { pointer: "/training/optimizer/lr", values: [0.01, 0.1, 1] },
      { pointer: "/network/nodes/1/activation", values: ["tanh", "relu"] },
    ],
    runs: [
      point(0, [0.01, "tanh"], 0.5, 0.5),
      point(1, [0.1, "relu"], 0.05, 1),
      point(2, [1, "tanh"], null, null),
    ],
  };
}

describe("parallelModel", () => {
  it("puts the sweep axes first, then final loss and accuracy", () => {
    const m = parallelModel(sweep(), ["lr", "activation"]);
    expect(m.axes.map((a) => a.label)).toEqual([
      "lr (log)",
      "activation",
      "final loss (log)",
      "final accuracy",
    ]);
  });

  it("draws only runs with metrics, positioned on each axis", () => {
    const m = parallelModel(sweep(), ["lr", "activation"]);
    expect(m.lines.map((l) => l.runId)).toEqual(["r0", "r1"]);
    const [first, second] = m.lines;
    expect(first!.positions[0]).toBeCloseTo(0); // 0.01 at the bottom of a 0.01…1 log axis
    expect(second!.positions[0]).toBeCloseTo(0.5);
    expect(first!.positions[1]).toBe(0); // tanh, the first category
    expect(second!.positions[1]).toBe(1);
    expect(second!.positions[3]).toBe(1); // accuracy 1 at the top
    expect(second!.rank).toBe(0); // the lowest loss
  });
});
