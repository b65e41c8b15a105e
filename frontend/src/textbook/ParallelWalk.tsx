/**
 * The data-parallel walk of the traced step: the examples split across k workers, each worker's
 * own E and gradients, the all-reduce of those gradients and one worker's gradient of all the
 * examples beside it — equal to the last digits (their largest difference is shown).
 */
import { useMemo } from "react";
import type { TraceParallel } from "../generated";
import { parallelRows, shardExamples } from "./logic/parallelWalk";

const digits = (x: number) => x.toPrecision(17);

export function ParallelWalk({ walk }: { walk: TraceParallel }) {
  const rows = useMemo(() => parallelRows(walk), [walk]);
  const rule = walk.combine === "sum" ? "Σ gᵢ (E sums over the examples)" : "Σ (bᵢ/b)·gᵢ (E averages)";
  return (
    <section className="tb-parallel" aria-label="Data-parallel walk" data-testid="tb-parallel">
      <p className="tb-parallel-intro">
        The same step on {walk.workers} workers: each backpropagates only its own examples; the all-reduce
        combines their gradients as {rule}.
      </p>
      <ul className="tb-parallel-shards">
        {walk.shards.map((s) => (
          <li key={s.worker} data-testid="tb-parallel-shard">
            worker {s.worker + 1}: {shardExamples(s.rows)}, E = {s.loss === null ? "–" : digits(s.loss)},
            weight {s.weight}
          </li>
        ))}
      </ul>
      <div className="tb-parallel-scroll">
        <table className="tb-parallel-table">
          <thead>
            <tr>
              <th>∂E/∂θ</th>
              {walk.shards.map((s) => (
                <th key={s.worker}>worker {s.worker + 1}</th>
              ))}
              <th>all-reduce</th>
              <th>one worker, all examples</th>
              <th>|difference|</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                {r.workers.map((v, i) => (
                  <td key={i}>{digits(v)}</td>
                ))}
                <td className="tb-parallel-sum">{digits(r.average)}</td>
                <td className="tb-parallel-sum">{digits(r.oneWorker)}</td>
                <td>{r.difference === 0 ? "0" : r.difference.toExponential(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="tb-parallel-verdict" data-testid="tb-parallel-verdict">
        Largest |all-reduce − one worker| ={" "}
        {walk.max_abs_difference === 0 ? "0" : walk.max_abs_difference.toExponential(1)}
        {walk.max_abs_difference === 0
          ? ": equal to the last digit."
          : ": equal up to rounding in the last digit (the additions run in another order)."}
      </p>
    </section>
  );
}
