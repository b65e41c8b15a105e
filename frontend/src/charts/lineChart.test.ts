import { describe, expect, it, vi } from "vitest";
import type uPlot from "uplot";

const built: uPlot.Options[] = [];
vi.mock("uplot", () => ({
  default: class {
    root = document.createElement("div");
    constructor(opts: uPlot.Options) {
      built.push(opts);
    }
    destroy() {}
    setSize() {}
  },
}));

const { LineChart } = await import("./lineChart");

describe("line chart x axis", () => {
  it("ticks a step axis on whole steps only", async () => {
    const chart = new LineChart(document.createElement("div"), { yLabel: "loss" });
    chart.update(
      [{ label: "run", stroke: "#000" }],
      [
        [1, 2, 3, 4],
        [4, 3, 2, 1],
      ],
    );
    await vi.waitFor(() => expect(built.length).toBe(1));
    const x = built[0]!.axes![0]!;
    expect(x.incrs).toEqual(expect.arrayContaining([1, 2, 5, 10]));
    expect((x.incrs as number[]).every(Number.isInteger)).toBe(true);
    const splits = x.splits as (u: unknown, i: number, min: number, max: number, incr: number) => number[];
    expect(splits(null, 0, 1, 4, 1)).toEqual([1, 2, 3, 4]);
    const values = x.values as (u: unknown, splits: number[]) => string[];
    expect(values(null, [0, 2.5, 5])).toEqual(["0", "", "5"]);
    chart.destroy();
  });
});
