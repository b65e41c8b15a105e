/**
 * Gates: histograms of W, z, a and δ for every gate of every recurrent layer, the share of each sigmoid
 * gate shut (a < 0.05) or open (a > 0.95), and the cell state c and hidden state h, live and scrubbed
 * with the timeline.
 */
import { memo, useState } from "react";
import { HistogramGrid } from "../../charts/histogramGrid";
import type { ViewProps } from "../../app/viewTypes";
import type { AxisMode, ScaleMode } from "../../charts/histAxis";
import { AxisToggle, ScaleToggle } from "../ScaleToggle";
import { fmtPct } from "../../charts/format";
import { useThrottledFrameValue } from "../useLiveDraw";
import { useLiveChart } from "../useLiveChart";
import { gateLabel, gateSaturations, gatesModel, recurrentLayers, SATURATED_GATE } from "./model";
import { ViewHint, ViewToolbar, LiveView } from "../ViewChrome";

const HINT =
  "Each gate is z = W·[h_(t−1); x_t] + b over every example, step and unit; a is its σ or tanh. " +
  "Shut/open: the share of a sigmoid gate's a below 0.05 or above 0.95. c and h fill the a row.";

function GatesViewImpl({ visible }: ViewProps) {
  const [scale, setScale] = useState<ScaleMode>("linear");
  const [axis, setAxis] = useState<AxisMode>("per-layer");
  const saturations = useThrottledFrameValue(visible, gateSaturations, 4);
  const layerCount = useThrottledFrameValue(visible, (f) => recurrentLayers(f).length, 4);

  const { canvasRef, boxRef } = useLiveChart(
    (canvas) => new HistogramGrid(canvas),
    visible,
    `${scale}|${axis}`,
    (c, frame) => c.update(gatesModel(frame, { scale, axis })),
  );

  return (
    <LiveView visible={visible} className="gates-view" testId="view-gates">
      <ViewToolbar>
        <ScaleToggle scale={scale} onChange={setScale} />
        <AxisToggle axis={axis} onChange={setAxis} perLabel="Per-gate" />
      </ViewToolbar>
      <ViewHint text={HINT} />
      {layerCount === 0 ? (
        <p className="view-hint" data-testid="gates-empty">
          This view shows the gates of rnn, lstm and gru layers; the network has none (or no frame has arrived
          yet).
        </p>
      ) : null}
      {saturations.length > 0 ? (
        <ul className="gate-saturation" data-testid="gate-saturation">
          {saturations.map((s) => (
            <li
              key={`${s.layer}.${s.gate}`}
              className={s.saturation > SATURATED_GATE ? "flag" : ""}
              data-gate={`${s.layer}.${s.gate}`}
            >
              {s.layer} {gateLabel(s.gate)}: <strong>{fmtPct(s.saturation)}</strong> shut or open
            </li>
          ))}
        </ul>
      ) : null}
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="gates-canvas" />
      </div>
    </LiveView>
  );
}

export const GatesView = memo(GatesViewImpl);
