/**
 * δ through time: for every recurrent layer, the RMS of ∂L/∂h_t and of each gate's δ_t against the
 * step t on a log axis — the curve that shows the gradient vanishing or exploding through time — with
 * the engine's sentence for it. It draws the newest frame, or the frame scrubbed to on the timeline.
 */
import { memo, useEffect, useRef } from "react";
import { LineChart, type LineSeries } from "../../charts/lineChart";
import { CATEGORICAL } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { recurrentLayers, throughTime, throughTimeColumns } from "./model";
import { ViewToolbar, LiveView } from "../ViewChrome";

const H_COLOUR = "#111";

function seriesStyle(key: string, index: number): LineSeries["stroke"] {
  return key === "h" ? H_COLOUR : (CATEGORICAL[index % CATEGORICAL.length] ?? "#555");
}

function LayerChart({ id, visible }: { id: string; visible: boolean }) {
  const boxRef = useRef<HTMLDivElement | null>(null);
  const chart = useRef<LineChart | null>(null);
  const [sizeRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useEffect(() => {
    if (!boxRef.current) return;
    chart.current = new LineChart(boxRef.current, { yLabel: "RMS δ", xLabel: "step t", yLog: true });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useLiveDraw(visible, `${id}|${sizeVersion}`, (frame) => {
    const c = chart.current;
    const layer = recurrentLayers(frame).find((l) => l.id === id);
    if (!c || !layer) return;
    const tt = throughTime(layer);
    const series: LineSeries[] = tt.series.map((s, i) => ({
      label: s.label,
      stroke: seriesStyle(s.key, i),
      width: s.key === "h" ? 3 : 1.8,
      dash: s.key === "h" ? undefined : [6, 4],
    }));
    const { w, h } = size.current;
    if (w > 0 && h > 0) c.resize(w, h);
    c.update(series, throughTimeColumns(tt));
  });
  return (
    <div className="chart-size-box" ref={sizeRef}>
      <div ref={boxRef} data-testid={`through-time-chart-${id}`} />
    </div>
  );
}

interface LayerSummary {
  id: string;
  kind: string;
  steps: number;
  diagnosis: { kind: string; message: string } | null;
}

function summarise(frame: Parameters<typeof recurrentLayers>[0]): LayerSummary[] {
  return recurrentLayers(frame).map((l) => ({
    id: l.id,
    kind: l.kind,
    steps: l.steps,
    diagnosis: l.diagnosis ? { kind: l.diagnosis.kind, message: l.diagnosis.message } : null,
  }));
}

function ThroughTimeViewImpl({ visible }: ViewProps) {
  const layers = useThrottledFrameValue(visible, summarise, 4);
  return (
    <LiveView visible={visible} className="through-time-view" testId="view-through-time">
      <ViewToolbar />
      {layers.length === 0 ? (
        <p className="view-hint" data-testid="through-time-empty">
          This view shows δ through time for rnn, lstm and gru layers; the network has none (or no frame has
          arrived yet).
        </p>
      ) : (
        <p className="view-hint">
          RMS over the batch and units of ∂L/∂h_t (solid, every path back from later steps) and of each
          gate&apos;s δ_t (dashed), step 1 on the left. A curve that falls towards step 1 is a gradient
          vanishing through time.
        </p>
      )}
      <div className="through-time-charts">
        {layers.map((l) => (
          <figure className="grad-chart through-time-layer" key={l.id}>
            <figcaption>
              {l.id} <span className="muted">{l.kind}</span>: RMS δ over {l.steps} steps (log scale)
            </figcaption>
            {l.diagnosis ? (
              <p
                className={`diagnosis-line ${l.diagnosis.kind === "healthy" ? "ok" : "warn"}`}
                data-testid={`through-time-diagnosis-${l.id}`}
                data-kind={l.diagnosis.kind}
              >
                {l.diagnosis.kind === "healthy" ? "✓ " : "⚠ "}
                {l.diagnosis.message}
              </p>
            ) : null}
            <LayerChart id={l.id} visible={visible} />
          </figure>
        ))}
      </div>
    </LiveView>
  );
}

export const ThroughTimeView = memo(ThroughTimeViewImpl);
