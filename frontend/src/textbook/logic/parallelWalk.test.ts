import { describe, expect, it } from "vitest";
import type { RunSpec } from "../../spec/types";
import type { TraceParallel } from "../../generated";
import { parallelRows, parallelWorkers, shardExamples } from "./parallelWalk";
import { traceRequest } from "./trace";

function spec(workers: number | null, extra: RunSpec["network"]["nodes"] = []): RunSpec {
  return {
    network: {
      nodes: [
        { id: "x", kind: "input", shape: [2] },
        ...extra,
        { id: "y", kind: "dense", units: 1, activation: "sigmoid" },
      ],
    },
    training: { loss: "half_sse", ...(workers ? { parallel: { workers, mode: "sync", staleness: 0 } } : {}) },
  } as RunSpec;
}

const WALK: TraceParallel = {
  workers: 2,
  combine: "sum",
  shards: [
    {
      worker: 0,
      rows: [0, 2],
      weight: 1,
      loss: 0.1,
      layers: [{ id: "y", grad_weights: [[0.1, 0.2]], grad_bias: [0.3] }],
    },
    {
      worker: 1,
      rows: [2, 4],
      weight: 1,
      loss: 0.2,
      layers: [{ id: "y", grad_weights: [[0.2, 0.1]], grad_bias: [0.4] }],
    },
  ],
  average: [{ id: "y", grad_weights: [[0.30000000000000004, 0.30000000000000004]], grad_bias: [0.7] }],
  full_batch: [{ id: "y", grad_weights: [[0.3, 0.30000000000000004]], grad_bias: [0.7] }],
  max_abs_difference: 5.551115123125783e-17,
};

describe("parallelWorkers", () => {
  it("walks a data-parallel spec across its workers", () => {
    expect(parallelWorkers(spec(2), 4)).toBe(2);
  });

  it("keeps the plain walk without parallel training, with fewer examples than workers, or with dropout", () => {
    expect(parallelWorkers(spec(null), 4)).toBeNull();
    expect(parallelWorkers(spec(2), 1)).toBeNull();
    expect(
      parallelWorkers(spec(2, [{ id: "d", kind: "dropout", drop_probability: 0.5 }] as never), 4),
    ).toBeNull();
  });

  it("puts parallel_workers into the trace request", () => {
    const rows = {
      inputs: [
        [0, 1],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
      targets: [[1], [1], [0], [0]],
    };
    expect(traceRequest(spec(2), rows).parallel_workers).toBe(2);
    expect(traceRequest(spec(null), rows).parallel_workers).toBeUndefined();
  });
});

describe("parallelRows", () => {
  it("gives every weight and bias with each worker's gradient, the all-reduce and one worker's", () => {
    const rows = parallelRows(WALK);
    expect(rows.map((r) => r.label)).toEqual(["y.W[1][1]", "y.W[1][2]", "y.b[1]"]);
    expect(rows[0]).toEqual({
      label: "y.W[1][1]",
      workers: [0.1, 0.2],
      average: 0.30000000000000004,
      oneWorker: 0.3,
      difference: 5.551115123125783e-17,
    });
    expect(rows[2]!.difference).toBe(0);
  });

  it("names a worker's examples 1-based", () => {
    expect(shardExamples([0, 2])).toBe("examples 1–2");
    expect(shardExamples([3, 4])).toBe("example 4");
  });
});
