/**
 * The textbook's data-parallel walk (POST /api/v1/trace with parallel_workers): which specs get it,
 * and the table it shows — every weight and bias with each worker's gradient, their all-reduce and
 * one worker's gradient of all the examples, to the last digit. Pure: no React, no DOM.
 */
import type { Tensor, TraceGradients, TraceParallel } from "../../generated";
import type { RunSpec } from "../../spec/types";

/** Nodes whose training step differs from shard to shard (batch statistics or random masks). */
function stochastic(node: RunSpec["network"]["nodes"][number]): boolean {
  if (node.kind === "dropout" || node.kind === "batchnorm") return true;
  if ("drop_connect" in node && (node.drop_connect ?? 0) > 0) return true;
  return "survival_probability" in node && (node.survival_probability ?? 1) < 1;
}

/** k for the trace request: the spec's workers when it trains data-parallel and the walk has at
 * least k examples and no stochastic node; otherwise null (the plain walk). */
export function parallelWorkers(spec: RunSpec, examples: number): number | null {
  const k = spec.training?.parallel?.workers;
  if (!k || examples < k) return null;
  return spec.network.nodes.some(stochastic) ? null : k;
}

export interface ParallelRow {
  /** "h1.W[1][2]" or "y.b[1]" (1-based, as the tables elsewhere in the walk) */
  label: string;
  workers: number[];
  average: number;
  oneWorker: number;
  difference: number;
}

function flatten(t: Tensor | undefined, prefix: string, out: [string, number][]): void {
  if (t === null || t === undefined) return;
  if (typeof t === "number") {
    out.push([prefix, t]);
    return;
  }
  t.forEach((v, i) => flatten(v, `${prefix}[${i + 1}]`, out));
}

function values(g: TraceGradients): [string, number][] {
  const out: [string, number][] = [];
  for (const [key, name] of [
    ["grad_weights", "W"],
    ["grad_bias", "b"],
  ] as const) {
    const t = g[key];
    if (t !== null && typeof t === "object" && !Array.isArray(t)) {
      for (const [gate, v] of Object.entries(t)) flatten(v, `${g.id}.${name}_${gate}`, out);
    } else flatten(t, `${g.id}.${name}`, out);
  }
  return out;
}

/** One row per weight and bias of every layer, the workers' columns in worker order. */
export function parallelRows(walk: TraceParallel): ParallelRow[] {
  const shardValues = walk.shards.map((s) => s.layers.flatMap(values));
  const average = walk.average.flatMap(values);
  const one = walk.full_batch.flatMap(values);
  return one.map(([label, oneWorker], i) => {
    const avg = average[i]?.[1] ?? Number.NaN;
    return {
      label,
      workers: shardValues.map((v) => v[i]?.[1] ?? Number.NaN),
      average: avg,
      oneWorker,
      difference: Math.abs(avg - oneWorker),
    };
  });
}

/** "examples 1–2" (1-based, inclusive) for a worker's rows [start, stop). */
export function shardExamples(rows: readonly number[]): string {
  const [start = 0, stop = 0] = rows;
  return stop - start === 1 ? `example ${start + 1}` : `examples ${start + 1}–${stop}`;
}
