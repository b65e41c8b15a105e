/**
 * The sweep on show: every run's loss curve overlaid, a parallel-coordinates plot of the axis values
 * against final loss and accuracy, and a table of axis values, states and final metrics from which
 * runs are picked for comparison. Polls the sweep while it has runs training or waiting.
 */
import { useEffect, useMemo, useState } from "react";
import { fmtNum, fmtPct } from "../charts/format";
import type { SweepPublic } from "../net/api";
import { useManyRuns, useStores } from "../store/context";
import { CanvasBox } from "./CanvasBox";
import { CurvesChart } from "./CurvesChart";
import type { Curve } from "./compareModel";
import { drawParallel, rankColour } from "./draw";
import { axisName, commonFields, valueLabel } from "./fields";
import { parallelModel } from "./parallel";
import { pointEnded, sweepLive } from "../runs/states";
import { MAX_COMPARED } from "./store";

const POLL_MS = 1500;

/** The sweep, polled until every run has ended, and each run's metric history. */
function useSweep(id: string): {
  sweep: SweepPublic | null;
  curves: Map<string, Curve>;
  error: string | null;
} {
  const { api } = useStores();
  const [sweep, setSweep] = useState<SweepPublic | null>(null);
  const [curves, setCurves] = useState<Map<string, Curve>>(new Map());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const done = new Set<string>(); // runs whose final history is loaded
    const tick = async () => {
      try {
        const s = await api.sweep(id);
        if (!alive) return;
        setSweep(s);
        setError(null);
        const wanted = s.runs.filter((p) => p.run_id && !done.has(p.run_id) && p.state !== "queued");
        const loaded = await Promise.all(
          wanted.map(async (p) => {
            const m = await api.metrics(p.run_id!);
            if (pointEnded(p.state)) done.add(p.run_id!);
            return [p.run_id!, { label: p.values.map(valueLabel).join(" · "), rows: m.metrics }] as const;
          }),
        );
        if (!alive) return;
        if (loaded.length) setCurves((old) => new Map([...old, ...loaded]));
        if (sweepLive(s)) timer = setTimeout(() => void tick(), POLL_MS);
      } catch (e) {
        if (!alive) return;
        setError(String((e as Error).message ?? e));
        timer = setTimeout(() => void tick(), POLL_MS * 2);
      }
    };
    void tick();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, id]);
  return { sweep, curves, error };
}

export function SweepResults({ id }: { id: string }) {
  const { api, specs, manyRuns } = useStores();
  const owner = useManyRuns((s) => s.owner);
  const picked = useManyRuns((s) => s.compareIds);
  const { sweep, curves, error } = useSweep(id);
  const [hover, setHover] = useState<string | null>(null);
  const fields = useMemo(() => commonFields(specs.getState().spec()), [specs]);
  const labels = sweep ? sweep.axes.map((a) => axisName(a.pointer, fields)) : [];
  const model = useMemo(() => (sweep ? parallelModel(sweep, labels) : null), [sweep, labels.join("|")]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!sweep) return <p className="muted">{error ?? "Loading the sweep…"}</p>;
  const rankOf = new Map(model?.lines.map((l) => [l.runId, l.rank]) ?? []);
  const withRuns = sweep.runs.filter((p) => p.run_id && curves.has(p.run_id));
  const curveList = withRuns.map((p) => curves.get(p.run_id!)!);
  const colours = withRuns.map((p) => rankColour(rankOf.get(p.run_id!) ?? 0.5));
  const counts = sweep.runs.reduce<Record<string, number>>((acc, p) => {
    acc[p.state] = (acc[p.state] ?? 0) + 1;
    return acc;
  }, {});
  return (
    <section className="sweep-results" aria-label="Sweep results" data-testid="sweep-results">
      <header className="sweep-results-head">
        <h3>
          Sweep {sweep.name ? <span data-testid="sweep-name">{sweep.name} </span> : null}
          <code>{sweep.id}</code>{" "}
          <span className={`badge state-${sweep.state}`} data-testid="sweep-state">
            {sweep.state}
          </span>
        </h3>
        <span className="muted">
          {Object.entries(counts)
            .map(([k, n]) => `${n} ${k}`)
            .join(" · ")}
        </span>
        {owner && sweepLive(sweep) ? (
          <button onClick={() => void api.stopSweep(sweep.id, owner)} data-testid="sweep-stop">
            ■ Stop sweep
          </button>
        ) : null}
      </header>
      <div className="sweep-charts">
        <figure>
          <figcaption>Loss of every run (blue: lowest final loss, orange: highest)</figcaption>
          <CurvesChart curves={curveList} colours={colours} metric="loss" testId="sweep-curves" />
        </figure>
        <figure>
          <figcaption>Axis values against final loss and accuracy</figcaption>
          {model ? (
            <CanvasBox
              label="Parallel coordinates of the sweep"
              testId="sweep-parallel"
              className="parallel-box"
              draw={(c, w, h) => drawParallel(c, model, w, h, hover)}
              deps={[model, hover]}
            />
          ) : null}
        </figure>
      </div>
      <div className="sweep-table-wrap">
        <table className="sweep-table" data-testid="sweep-table">
          <thead>
            <tr>
              <th title="Pick runs to compare">cmp</th>
              {labels.map((l) => (
                <th key={l}>{l}</th>
              ))}
              <th>state</th>
              <th>epoch</th>
              <th>final loss</th>
              <th>final accuracy</th>
            </tr>
          </thead>
          <tbody>
            {sweep.runs.map((p) => (
              <tr
                key={p.index}
                onMouseEnter={() => setHover(p.run_id)}
                onMouseLeave={() => setHover(null)}
                className={hover && hover === p.run_id ? "hovered" : undefined}
              >
                <td>
                  {p.run_id ? (
                    <input
                      type="checkbox"
                      checked={picked.includes(p.run_id)}
                      disabled={!picked.includes(p.run_id) && picked.length >= MAX_COMPARED}
                      onChange={() => manyRuns.getState().toggleCompare(p.run_id!)}
                      aria-label={`compare run ${p.values.map(valueLabel).join(" · ")}`}
                    />
                  ) : null}
                </td>
                {p.values.map((v, k) => (
                  <td key={k}>{valueLabel(v)}</td>
                ))}
                <td>{p.state}</td>
                <td>{p.epoch}</td>
                <td>{fmtNum(p.final_metrics?.loss)}</td>
                <td>{p.final_metrics?.accuracy == null ? "–" : fmtPct(p.final_metrics.accuracy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="sweep-compare-bar">
        <span className="muted">
          {picked.length} picked (2 to {MAX_COMPARED})
        </span>
        <button
          className="primary"
          disabled={picked.length < 2}
          onClick={() => manyRuns.getState().setTab("compare")}
          data-testid="sweep-compare"
        >
          Compare picked runs →
        </button>
      </div>
    </section>
  );
}
