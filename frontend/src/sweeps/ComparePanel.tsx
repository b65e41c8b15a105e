/**
 * Runs side by side: pick 2–8 runs (from this server's runs or a sweep's table); see their loss
 * curves overlaid, gradient flow across layers per run, and per layer the W, z, a and δ histograms of
 * every run on shared bins at one step, chosen with one scrubber for all: overlaid, or as each run's
 * differences from a reference run.
 */
import { useEffect, useMemo, useState } from "react";
import type { Comparison, CompareQuantity, RunPublic } from "../net/api";
import { useManyRuns, useStores } from "../store/context";
import { CanvasBox } from "./CanvasBox";
import { CurvesChart } from "./CurvesChart";
import {
  differences,
  gradientFlow,
  overlay,
  QUANTITIES,
  QUANTITY_LABEL,
  referenceIndex,
  scrubSteps,
  type HistogramMode,
  type MetricKey,
} from "./compareModel";
import { drawDifferences, drawFlow, drawOverlay, runColour } from "./draw";
import { shortRunName } from "./fields";
import { MAX_COMPARED } from "./store";

const STEP_DEBOUNCE_MS = 150;

function RunPicker({ picked }: { picked: string[] }) {
  const { api, manyRuns } = useStores();
  const [runs, setRuns] = useState<RunPublic[]>([]);
  useEffect(() => {
    let alive = true;
    api
      .runs({ limit: 60 })
      .then((r) => alive && setRuns(r.runs))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);
  return (
    <aside className="compare-picker" aria-label="Runs to compare">
      <h3>Runs</h3>
      <p className="muted small">Pick 2 to {MAX_COMPARED}.</p>
      <ul>
        {runs.map((r) => (
          <li key={r.id}>
            <label title={`${r.name ?? ""} (${r.id})`}>
              <input
                type="checkbox"
                checked={picked.includes(r.id)}
                disabled={!picked.includes(r.id) && picked.length >= MAX_COMPARED}
                onChange={() => manyRuns.getState().toggleCompare(r.id)}
              />
              <span className="run-name">{shortRunName(r.name, r.id)}</span>{" "}
              <span className="muted small">{r.state}</span>
            </label>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function useComparison(ids: string[], step: number | null) {
  const { api } = useStores();
  const [data, setData] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = ids.join(",");
  useEffect(() => {
    if (ids.length < 2) {
      setData(null);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      api
        .compare(ids, step)
        .then((c) => {
          if (!alive) return;
          setData(c);
          setError(null);
        })
        .catch((e: Error) => alive && setError(e.message));
    }, STEP_DEBOUNCE_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, step]);
  return { data, error };
}

function HistogramCell({
  quantity,
  label,
  testId,
  log,
  mode,
  reference,
}: {
  quantity: CompareQuantity;
  label: string;
  testId: string;
  log: boolean;
  mode: HistogramMode;
  reference: number;
}) {
  const shaped = useMemo(
    () => (mode === "difference" ? differences(quantity, reference, log) : overlay(quantity, log)),
    [quantity, mode, reference, log],
  );
  return (
    <CanvasBox
      label={label}
      testId={testId}
      className="hist-box"
      draw={(c, w, h) =>
        "diffs" in shaped ? drawDifferences(c, shaped, w, h) : drawOverlay(c, shaped, w, h)
      }
      deps={[shaped]}
    />
  );
}

function HistogramGrid({
  data,
  log,
  mode,
  reference,
}: {
  data: Comparison;
  log: boolean;
  mode: HistogramMode;
  reference: number;
}) {
  const how =
    mode === "difference"
      ? `each run minus ${shortRunName(data.runs[reference]?.name ?? null, data.runs[reference]?.id ?? "")}`
      : "every run on shared bins";
  return (
    <table className="compare-hists" data-testid="compare-hists" data-mode={mode}>
      <thead>
        <tr>
          <th />
          {QUANTITIES.map((q) => (
            <th key={q}>{QUANTITY_LABEL[q]}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.layers.map((layer) => (
          <tr key={layer.id}>
            <th scope="row">
              {layer.id}
              <div className="muted small">{layer.kind}</div>
            </th>
            {QUANTITIES.map((q) => {
              const quantity = layer.quantities[q];
              if (!quantity)
                return (
                  <td key={q} className="muted">
                    –
                  </td>
                );
              return (
                <td key={q}>
                  <HistogramCell
                    quantity={quantity}
                    label={`${QUANTITY_LABEL[q]} of ${layer.id}, ${how}`}
                    testId={`compare-hist-${layer.id}-${q}`}
                    log={log}
                    mode={mode}
                    reference={reference}
                  />
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ModeSwitch({ data, mode, reference }: { data: Comparison; mode: HistogramMode; reference: number }) {
  const { manyRuns } = useStores();
  return (
    <div className="compare-mode" role="group" aria-label="How the histograms are shown">
      <span className="muted">histograms</span>
      {(["overlay", "difference"] as const).map((m) => (
        <button
          key={m}
          className={mode === m ? "seg active" : "seg"}
          aria-pressed={mode === m}
          onClick={() => manyRuns.getState().setCompareView({ mode: m })}
          data-testid={`compare-mode-${m}`}
        >
          {m === "overlay" ? "overlaid" : "differences"}
        </button>
      ))}
      {mode === "difference" ? (
        <label>
          from{" "}
          <select
            value={data.runs[reference]?.id ?? ""}
            onChange={(e) => manyRuns.getState().setCompareView({ reference: e.target.value })}
            aria-label="Reference run the differences are taken from"
            data-testid="compare-ref"
          >
            {data.runs.map((r) => (
              <option key={r.id} value={r.id}>
                {shortRunName(r.name, r.id)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}

export function ComparePanel() {
  const ids = useManyRuns((s) => s.compareIds);
  const mode = useManyRuns((s) => s.compareMode);
  const refId = useManyRuns((s) => s.compareRef);
  const [step, setStep] = useState<number | null>(null);
  const [log, setLog] = useState(false);
  const [metric, setMetric] = useState<MetricKey>("loss");
  const { data, error } = useComparison(ids, step);
  const steps = useMemo(() => (data ? scrubSteps(data) : []), [data]);
  const flow = useMemo(() => (data ? gradientFlow(data) : null), [data]);
  const curves = useMemo(
    () => data?.runs.map((r) => ({ label: shortRunName(r.name, r.id), rows: r.metrics })) ?? [],
    [data],
  );
  const colours = useMemo(() => curves.map((_, i) => runColour(i)), [curves]);
  useEffect(() => setStep(null), [ids.join(",")]); // eslint-disable-line react-hooks/exhaustive-deps
  const reference = data
    ? referenceIndex(
        data.runs.map((r) => r.id),
        refId,
      )
    : 0;
  const shown = data?.step ?? 0;
  const at = Math.max(
    0,
    steps.findLastIndex((s) => s <= shown),
  );
  return (
    <div className="compare-page">
      <RunPicker picked={ids} />
      <section className="compare-main" aria-label="Comparison" data-testid="compare-main">
        {ids.length < 2 ? (
          <p className="muted">Pick at least two runs on the left, or in a sweep's table.</p>
        ) : error ? (
          <p className="error" role="alert">
            ⚠ {error}
          </p>
        ) : !data ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <div className="compare-controls">
              <ul className="compare-legend" data-testid="compare-legend">
                {data.runs.map((r, i) => (
                  <li key={r.id} title={r.note ?? `${r.name ?? ""} (${r.id})`}>
                    <span className="chip" style={{ background: runColour(i) }} />
                    {shortRunName(r.name, r.id)}{" "}
                    {mode === "difference" && i === reference ? (
                      <strong className="small" data-testid="compare-ref-mark">
                        reference{" "}
                      </strong>
                    ) : null}
                    <span className="muted small">
                      {r.step_shown === null ? "no layers yet" : `step ${r.step_shown}`}
                    </span>
                  </li>
                ))}
              </ul>
              <label className="compare-scrubber">
                step <strong data-testid="compare-step">{shown}</strong>
                <input
                  type="range"
                  min={0}
                  max={Math.max(0, steps.length - 1)}
                  value={at}
                  onChange={(e) => setStep(steps[Number(e.target.value)] ?? 0)}
                  aria-label="Step to compare at"
                  data-testid="compare-scrubber"
                />
              </label>
              <label>
                <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log₁₀|x|
              </label>
              <ModeSwitch data={data} mode={mode} reference={reference} />
            </div>
            <div className="compare-top">
              <figure>
                <figcaption>
                  <select
                    value={metric}
                    onChange={(e) => setMetric(e.target.value as MetricKey)}
                    aria-label="Curves to overlay"
                    data-testid="compare-metric"
                  >
                    <option value="loss">Loss</option>
                    <option value="val_loss">Validation loss</option>
                    <option value="accuracy">Accuracy</option>
                    <option value="val_accuracy">Validation accuracy</option>
                  </select>
                </figcaption>
                <CurvesChart
                  curves={curves}
                  colours={colours}
                  metric={metric}
                  testId="compare-curves"
                  marker={shown}
                />
              </figure>
              <figure>
                <figcaption>Gradient flow: RMS δ per layer at the step shown</figcaption>
                {flow ? (
                  <CanvasBox
                    label="Gradient flow across layers, one line per run"
                    testId="compare-flow"
                    className="flow-box"
                    draw={(c, w, h) => drawFlow(c, flow.layers, flow.lines, w, h)}
                    deps={[flow]}
                  />
                ) : null}
              </figure>
            </div>
            <p className="muted small" data-testid="compare-hist-caption">
              {mode === "difference"
                ? `Each run's share of its values in each shared bin minus the reference run's: bars up where it has more of its values than the reference, down where it has fewer (each run's bars sum to zero)`
                : "Each run's histogram as shares of its own values, on bins shared by every run"}
              {log ? " (log₁₀|x|, fixed edges)" : ""}.
            </p>
            <HistogramGrid data={data} log={log} mode={mode} reference={reference} />
          </>
        )}
      </section>
    </div>
  );
}
