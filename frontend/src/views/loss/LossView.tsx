/**
 * Loss and accuracy, training and validation, for the current run and the last few runs overlaid
 * (each labelled by what changed in its spec), with the early-stopping point marked.
 */
import { memo, useEffect, useRef, useState } from "react";
import { LineChart } from "../../charts/lineChart";
import type { ViewProps } from "../../app/viewTypes";
import { useElementSize, useLiveDraw } from "../useLiveDraw";
import { viewState } from "../state";
import { TimelineBar } from "../TimelineBar";
import { chartData, earlyStopMarkers } from "./series";

function useRunChart(kind: "loss" | "accuracy", visible: boolean, logY: boolean) {
  const boxRef = useRef<HTMLDivElement | null>(null);
  const chart = useRef<LineChart | null>(null);
  const [sizeRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useEffect(() => {
    if (!boxRef.current) return;
    chart.current = new LineChart(boxRef.current, {
      yLabel: kind === "loss" ? "loss" : "accuracy",
      yLog: kind === "loss" && logY,
      markers: () => earlyStopMarkers(viewState.runs.list()),
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [kind, logY]);
  useLiveDraw(visible, `${sizeVersion}|${logY}`, () => {
    const c = chart.current;
    if (!c) return;
    const { w, h } = size.current;
    if (w > 0 && h > 0) c.resize(w, h - 56);
    const d = chartData(viewState.runs.list(), kind);
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
  return (
    <div className="live-view loss-view" data-testid="view-loss">
      <div className="view-toolbar">
        <label className="check">
          <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.currentTarget.checked)} />
          log loss axis
        </label>
        <button type="button" onClick={() => viewState.runs.clear()} title="Forget the overlaid runs">
          Clear compared runs
        </button>
        <TimelineBar visible={visible} />
      </div>
      <p className="view-hint">
        Solid: training; dashed: validation. Earlier runs keep their colour; the legend says what changed.
      </p>
      <div className="run-charts">
        <RunChart kind="loss" visible={visible} logY={logY} />
        <RunChart kind="accuracy" visible={visible} logY={false} />
      </div>
    </div>
  );
}

export const LossView = memo(LossViewImpl);
