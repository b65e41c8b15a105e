/**
 * Gradient flow: RMS δ and RMS ∂L/∂W per layer over steps on log axes, the plain-language diagnosis of
 * vanishing/exploding gradients, and a per-layer table (dead/saturated units, update-to-weight ratio,
 * predicted vs measured var(z)).
 */
import { memo, useEffect, useRef } from "react";
import { LineChart, type LineSeries } from "../../charts/lineChart";
import { ProfileChart } from "../../charts/profileChart";
import { QUANTITY_COLOUR } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import { fmtNum, fmtPct, fmtRatio } from "../../charts/format";
import type { Diagnostic } from "../../generated";
import { RULES, weightedLayers } from "../logic/warnings";
import type { FrameLike } from "../logic/frame";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { useLiveChart } from "../useLiveChart";
import { ColumnCache, layerColours } from "./columns";
import { gradRows, type GradRow } from "./table";
import { ViewToolbar, LiveView } from "../ViewChrome";

interface Panel {
  key: string;
  title: string;
  yLabel: string;
}

const PANELS: Panel[] = [
  { key: "delta.rms", title: "RMS δ per layer", yLabel: "RMS δ" },
  { key: "grad_W.rms", title: "RMS ∂L/∂W per layer", yLabel: "RMS ∂L/∂W" },
];

function useGradChart(panel: Panel, visible: boolean) {
  const boxRef = useRef<HTMLDivElement | null>(null);
  const chart = useRef<LineChart | null>(null);
  const cache = useRef(new ColumnCache());
  const [sizeRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useEffect(() => {
    if (!boxRef.current) return;
    chart.current = new LineChart(boxRef.current, { yLabel: panel.yLabel, yLog: true });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [panel.yLabel]);
  useLiveDraw(visible, `${sizeVersion}`, (frame, hub) => {
    const c = chart.current;
    if (!c) return;
    const ids = weightedLayers(frame as FrameLike | null).map((l) => l.id);
    const colours = layerColours(ids.length);
    const series: LineSeries[] = ids.map((id, i) => ({ label: id, stroke: colours[i], width: 2.5 }));
    const { w, h } = size.current;
    if (w > 0 && h > 0) c.resize(w, h);
    c.update(series, cache.current.build(hub, ids, panel.key));
  });
  return { sizeRef, boxRef };
}

function GradChart({ panel, visible }: { panel: Panel; visible: boolean }) {
  const { sizeRef, boxRef } = useGradChart(panel, visible);
  return (
    <figure className="grad-chart">
      <figcaption>{panel.title} (log scale)</figcaption>
      <div className="chart-size-box" ref={sizeRef}>
        <div ref={boxRef} data-testid={`grad-chart-${panel.key}`} />
      </div>
    </figure>
  );
}

/** This frame's RMS δ and var(z) (measured and predicted) across the layers, input → output. */
function ProfilePanel({ visible }: { visible: boolean }) {
  const { canvasRef, boxRef: sizeRef } = useLiveChart(
    (canvas) => new ProfileChart(canvas),
    visible,
    "",
    (c, frame) => {
      const rows = gradRows(frame as FrameLike | null);
      c.update(
        rows.map((r) => r.id),
        [
          { label: "RMS δ", colour: QUANTITY_COLOUR.delta, values: rows.map((r) => r.deltaRms) },
          { label: "var(z) measured", colour: QUANTITY_COLOUR.z, values: rows.map((r) => r.varZMeasured) },
          {
            label: "var(z) predicted",
            colour: "#555",
            values: rows.map((r) => r.varZPredicted),
            dashed: true,
          },
        ],
      );
    },
  );
  return (
    <figure className="grad-chart">
      <figcaption>Across layers now (log scale)</figcaption>
      <div className="chart-size-box" ref={sizeRef}>
        <canvas ref={canvasRef} data-testid="grad-profile" />
      </div>
    </figure>
  );
}

function DiagnosisList({ items }: { items: Diagnostic[] }) {
  if (items.length === 0) {
    return (
      <p className="diagnosis ok" data-testid="diagnosis-ok">
        No gradient problems detected in this frame.
      </p>
    );
  }
  return (
    <ul className="diagnosis" data-testid="diagnosis">
      {items.map((d, i) => (
        <li key={`${d.code}-${d.layer}-${i}`} className={`diag ${d.severity}`} data-code={d.code}>
          <span className="diag-icon" aria-hidden>
            {d.severity === "error" ? "✖" : d.severity === "warning" ? "⚠" : "ℹ"}
          </span>
          {d.message}
        </li>
      ))}
    </ul>
  );
}

function GradTable({ rows }: { rows: GradRow[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="grad-table" data-testid="grad-table">
      <thead>
        <tr>
          <th>layer</th>
          <th>RMS δ</th>
          <th>δ / output δ</th>
          <th>‖∂L/∂W‖</th>
          <th title="units that output 0 for every example of the batch">dead units</th>
          <th>saturated</th>
          <th title="‖ΔW‖/‖W‖ per step; ≈ 10⁻³ is healthy">update / weight</th>
          <th title="n_in · var(W) · var(input)">var(z) predicted</th>
          <th>var(z) measured</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">
              {r.id} <span className="muted">{r.activation}</span>
            </th>
            <td>{fmtNum(r.deltaRms)}</td>
            <td
              className={
                r.deltaRatio !== null &&
                (r.deltaRatio < RULES.vanishRatio || r.deltaRatio > RULES.explodeRatio)
                  ? "flag"
                  : ""
              }
            >
              {r.deltaRatio === null ? "–" : fmtRatio(r.deltaRatio)}
            </td>
            <td>{fmtNum(r.gradWNorm)}</td>
            <td className={r.dead !== null && r.dead > RULES.deadFrac ? "flag" : ""}>{fmtPct(r.dead)}</td>
            <td className={r.saturated !== null && r.saturated > RULES.saturatedFrac ? "flag" : ""}>
              {fmtPct(r.saturated)}
            </td>
            <td className={r.updateOff !== null && r.updateOff > 2 ? "flag" : ""}>{fmtNum(r.updateRatio)}</td>
            <td>{fmtNum(r.varZPredicted)}</td>
            <td>{fmtNum(r.varZMeasured)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Summary {
  diagnostics: Diagnostic[];
  rows: GradRow[];
}

function summarise(frame: FrameLike | null): Summary {
  // the engine writes the diagnosis into every frame, so a scrubbed frame shows its own
  return { diagnostics: frame?.diagnostics ?? [], rows: gradRows(frame) };
}

function GradientFlowViewImpl({ visible }: ViewProps) {
  const summary = useThrottledFrameValue(visible, (f) => summarise(f as FrameLike | null), 4);
  return (
    <LiveView visible={visible} className="gradients-view" testId="view-gradients">
      <ViewToolbar />
      <DiagnosisList items={summary.diagnostics} />
      <div className="grad-charts">
        <ProfilePanel visible={visible} />
        {PANELS.map((p) => (
          <GradChart key={p.key} panel={p} visible={visible} />
        ))}
      </div>
      <GradTable rows={summary.rows} />
    </LiveView>
  );
}

export const GradientFlowView = memo(GradientFlowViewImpl);
