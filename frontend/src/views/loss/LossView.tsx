/**
 * Loss and accuracy, training and validation, for the current run and the last few runs overlaid
 * (each labelled by what changed in its spec), with the early-stopping point marked.
 */
import { memo, useEffect, useRef, useState } from "react";
import { LineChart } from "../../charts/lineChart";
import type { ViewProps } from "../../app/viewTypes";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { chartData, earlyStopMarkers } from "./series";
import { useRunStore, useStores } from "../../store/context";
import { isTerminal } from "../../runs/states";
import { ViewToolbar, LiveView, ViewCheck } from "../ViewChrome";

function useRunChart(kind: "loss" | "accuracy", visible: boolean, logY: boolean) {
  const boxRef = useRef<HTMLDivElement | null>(null);
  const chart = useRef<LineChart | null>(null);
  const [sizeRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const { views } = useStores();
  useEffect(() => {
    if (!boxRef.current) return;
    chart.current = new LineChart(boxRef.current, {
      yLabel: kind === "loss" ? "loss" : "accuracy",
      yLog: kind === "loss" && logY,
      markers: () => earlyStopMarkers(views.runs.list()),
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [views, kind, logY]);
  useLiveDraw(visible, `${sizeVersion}|${logY}`, () => {
    const c = chart.current;
    if (!c) return;
    const { w, h } = size.current;
    if (w > 0 && h > 0) c.resize(w, h);
    const d = chartData(views.runs.list(), kind);
    c.update(d.series, d.cols);
  });
  return { sizeRef, boxRef };
}

function RunChart({ kind, visible, logY }: { kind: "loss" | "accuracy"; visible: boolean; logY: boolean }) {
  const { sizeRef, boxRef } = useRunChart(kind, visible, logY);
  return (
    <figure className="run-chart">
      <figcaption>{kind === "loss" ? "Loss" : "Accuracy"}</figcaption>
      <div className="chart-size-box" ref={sizeRef}>
        <div ref={boxRef} data-testid={`run-chart-${kind}`} />
      </div>
    </figure>
  );
}

function LossViewImpl({ visible }: ViewProps) {
  const [logY, setLogY] = useState(true);
  const stores = useStores();
  const { views } = stores;
  // Frames arrive at a capped rate and only after subscribing: the full history of the watched run
  // comes from GET /runs/{id}/metrics, once when the run appears and again when it ends.
  const runId = useRunStore((s) => s.runId);
  const runState = useRunStore((s) => s.state);
  const ended = isTerminal(runState);
  useEffect(() => {
    if (!runId) return;
    let alive = true;
    const load = () =>
      stores.api
        .metrics(runId)
        .then((m) => {
          if (!alive) return;
          views.runs.ensure(runId, views.specFor(runId));
          views.runs.merge(runId, m.metrics);
        })
        .catch(() => undefined);
    void load();
    return () => {
      alive = false;
    };
  }, [stores, views, runId, ended]);
  // Regression has no accuracy: the loss chart then takes the whole width.
  const hasAccuracy = useThrottledFrameValue(visible, (f) => typeof f?.accuracy === "number", 1);
  return (
    <LiveView visible={visible} className="loss-view" testId="view-loss">
      <ViewToolbar>
        <ViewCheck checked={logY} onChange={setLogY}>
          log loss axis
        </ViewCheck>
        <button type="button" onClick={() => views.runs.clear()} title="Forget the overlaid runs">
          Clear compared runs
        </button>
      </ViewToolbar>
      <p className="view-hint">
        Solid: training · dashed: validation · earlier runs are labelled by what changed.
      </p>
      <div className="run-charts">
        <RunChart kind="loss" visible={visible} logY={logY} />
        {hasAccuracy ? <RunChart kind="accuracy" visible={visible} logY={false} /> : null}
      </div>
    </LiveView>
  );
}

export const LossView = memo(LossViewImpl);
