import { describe, expect, it } from "vitest";
import { RunHistories } from "../logic/runHistory";
import { chartData, earlyStopMarkers, joinTables } from "./series";

describe("loss chart data", () => {
  it("joins runs logged at different steps", () => {
    expect(
      joinTables([
        [
          [1, 3],
          [10, 30],
        ],
        [
          [2, 3],
          [20, 30],
          [0.2, 0.3],
        ],
      ]),
    ).toEqual([
      [1, 2, 3],
      [10, null, 30],
      [null, 20, 30],
      [null, 0.2, 0.3],
    ]);
  });

  it("gives each run train (solid) and validation (dashed) series labelled by what changed", () => {
    const h = new RunHistories(3, 100);
    h.ensure("a", { training: { optimizer: { lr: 0.2 } } });
    h.record({ run: "a", step: 1, loss: 1, val_loss: 1.1 });
    h.record({ run: "a", step: 2, loss: 0.5, val_loss: 0.6 });
    h.ensure("b", { training: { optimizer: { lr: 0.1 } } });
    h.record({ run: "b", step: 1, loss: 0.9 });
    const d = chartData(h.list(), "loss");
    expect(d.series.map((s) => s.label)).toEqual([
      "first run: train",
      "first run: validation",
      "lr 0.2 → 0.1: train",
    ]);
    expect(d.series.map((s) => s.dash)).toEqual([undefined, [8, 5], undefined]);
    expect(d.cols).toHaveLength(4);
    expect(chartData(h.list(), "accuracy").series).toEqual([]);
  });

  it("marks the step of the lowest validation loss of the newest run", () => {
    const h = new RunHistories(3, 100);
    h.record({ run: "a", step: 1, loss: 1, val_loss: 0.9 });
    h.record({ run: "a", step: 2, loss: 0.5, val_loss: 0.4 });
    h.record({ run: "a", step: 3, loss: 0.2, val_loss: 0.7 });
    expect(earlyStopMarkers(h.list())[0].x).toBe(2);
  });
});
