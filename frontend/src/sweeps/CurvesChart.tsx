/** Loss (or accuracy) curves of several runs overlaid, one colour each, on a log axis for loss. */
import { useEffect, useRef } from "react";
import { LineChart, type LineSeries } from "../charts/lineChart";
import { useElementSize } from "../views/useLiveDraw";
import { curveColumns, type Curve, type MetricKey } from "./compareModel";

export function CurvesChart({
  curves,
  colours,
  metric,
  testId,
  marker = null,
}: {
  curves: readonly Curve[];
  colours: readonly string[];
  metric: MetricKey;
  testId: string;
  /** a step to mark with a vertical line (the comparison's step) */
  marker?: number | null;
}) {
  const markerRef = useRef<number | null>(marker);
  markerRef.current = marker;
  const [sizeRef, size, version] = useElementSize<HTMLDivElement>();
  const boxRef = useRef<HTMLDivElement | null>(null);
  const chart = useRef<LineChart | null>(null);
  const log = metric === "loss" || metric === "val_loss";
  useEffect(() => {
    if (!boxRef.current) return;
    chart.current = new LineChart(boxRef.current, {
      yLabel: metric.replace("_", " "),
      yLog: log,
      markers: () =>
        markerRef.current === null
          ? []
          : [{ x: markerRef.current, label: `step ${markerRef.current}`, colour: "#5b6572" }],
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [metric, log]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const { w, h } = size.current;
    if (w > 0 && h > 0) c.resize(w, h);
    const series: LineSeries[] = curves.map((cv, i) => ({
      label: cv.label,
      stroke: colours[i] ?? "#888",
      width: 2,
    }));
    c.update(series, curveColumns(curves, metric));
  }, [curves, colours, metric, version, size, marker]);
  return (
    <div className="curves-size-box" ref={sizeRef}>
      <div ref={boxRef} data-testid={testId} />
    </div>
  );
}
