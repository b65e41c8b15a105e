import { describe, expect, it } from "vitest";
import { liveFrame } from "../../test/fixtures/frames";
import type { LiveFrame } from "../../wire/frame";
import { describeDifference, fullDigits, parallelModel } from "./model";

type Parallel = NonNullable<LiveFrame["parallel"]>;

function shard(worker: number, rows: [number, number], wNorm: number, bNorm: number, loss: number | null) {
  return {
    worker,
    rows,
    examples: [],
    weight: (rows[1] - rows[0]) / 8,
    loss,
    grad_norms: loss === null ? null : { "h.W": wNorm, "h.b": bNorm },
    grad_sample: loss === null ? null : { "h.W": [wNorm], "h.b": [bNorm] },
  };
}

function parallel(over: Partial<Parallel> = {}): Parallel {
  return {
    step: 12,
    workers: 2,
    mode: "sync",
    staleness: 0,
    combine: "mean",
    in_process: true,
    shards: [shard(0, [0, 4], 0.5, 0.1, 0.3), shard(1, [4, 8], 1.0, 0.2, 0.4)],
    average: { grad_norms: { "h.W": 0.7, "h.b": 0.15 }, grad_sample: { "h.W": [0.25], "h.b": [0.1] } },
    full_batch: {
      grad_norms: { "h.W": 0.7, "h.b": 0.15 },
      grad_sample: { "h.W": [0.25000000000000006], "h.b": [0.1] },
    },
    max_abs_difference: 5.551115123125783e-17,
    update: { norms: { "h.W": 0.07, "h.b": 0.015 }, sample: { "h.W": [-0.025], "h.b": [-0.01] } },
    ...over,
  };
}

describe("parallelModel", () => {
  it("is null for a run that does not split its batches", () => {
    expect(parallelModel(liveFrame())).toBeNull();
    expect(parallelModel(null)).toBeNull();
  });

  it("gives one card per worker with its rows, 1-based, out of the batch", () => {
    const m = parallelModel(liveFrame({ parallel: parallel() }))!;
    expect(m.cards.map((c) => c.rows)).toEqual(["rows 1–4 of 8", "rows 5–8 of 8"]);
    expect(m.cards.map((c) => c.weight)).toEqual([0.5, 0.5]);
    expect(m.rule).toBe("Σ (rows/b)·gᵢ");
  });

  it("draws the workers' and the all-reduce's bars on one scale, the longest full", () => {
    const m = parallelModel(liveFrame({ parallel: parallel() }))!;
    expect(m.cards[1]!.bars[0]).toEqual({ name: "h.W", norm: 1.0, share: 1 });
    expect(m.cards[0]!.bars[0]!.share).toBe(0.5);
    expect(m.average[0]!.share).toBeCloseTo(0.7, 12);
  });

  it("shows an idle worker of a short last batch as having no rows", () => {
    const m = parallelModel(
      liveFrame({
        parallel: parallel({ shards: [shard(0, [0, 1], 1, 1, 0.2), shard(1, [1, 1], 0, 0, null)] }),
      }),
    )!;
    expect(m.cards[1]!.rows).toBe("no rows");
    expect(m.cards[1]!.bars).toEqual([]);
  });

  it("names a summed loss's all-reduce Σ gᵢ and carries the async staleness", () => {
    const m = parallelModel(
      liveFrame({ parallel: parallel({ combine: "sum", mode: "async", staleness: 4 }) }),
    )!;
    expect(m.rule).toBe("Σ gᵢ");
    expect(m.staleness).toBe(4);
  });

  it("puts the all-reduce beside one worker's value to the last digit", () => {
    const m = parallelModel(liveFrame({ parallel: parallel() }))!;
    expect(m.sample).toEqual({ name: "h.W", average: 0.25, oneWorker: 0.25000000000000006, update: -0.025 });
    expect(fullDigits(0.25000000000000006)).toBe("0.25000000000000006");
  });
});

describe("describeDifference", () => {
  it("says exactly zero, rounding, or why there is no comparison", () => {
    expect(describeDifference(0)).toMatch(/^0 — identical/);
    expect(describeDifference(5.551115123125783e-17)).toMatch(/^5\.6e-17 — rounding/);
    expect(describeDifference(null)).toMatch(/dropout/);
  });
});
