/**
 * Layer internals: histograms of W, z, a, δ (and ∂L/∂W) for every layer, updating live — the four panels
 * of the weight-initialisation figures as one grid, with saturation zones shaded behind z.
 */
import { memo, useState } from "react";
import { HistogramGrid } from "../../charts/histogramGrid";
import type { ViewProps } from "../../app/viewTypes";
import type { QuantityKey } from "../logic/frame";
import type { AxisMode, ScaleMode } from "../../charts/histAxis";
import { AxisToggle, ScaleToggle } from "../ScaleToggle";
import { sigmoidThreshold, tanhThreshold } from "../logic/saturation";
import { useLiveChart } from "../useLiveChart";
import { buildModel, DEFAULT_ROWS } from "./model";
import { ViewHint, ViewToolbar, LiveView, ViewCheck } from "../ViewChrome";

const HINT =
  `δ = ∂L/∂z; a node's z row is what enters it, its a row what leaves. Shaded behind z: where f′ < 2 % of its peak ` +
  `(sigmoid |z| > ${sigmoidThreshold().toFixed(2)}, tanh |z| > ${tanhThreshold().toFixed(2)}) or ReLU's dead zone z < 0.`;

function LayerInternalsViewImpl({ visible }: ViewProps) {
  const [scale, setScale] = useState<ScaleMode>("linear");
  const [axis, setAxis] = useState<AxisMode>("shared");
  const [withGrad, setWithGrad] = useState(false);
  const [withNodes, setWithNodes] = useState(true);
  const rows: QuantityKey[] = withGrad ? [...DEFAULT_ROWS, "grad_W"] : [...DEFAULT_ROWS];

  const { canvasRef, boxRef } = useLiveChart(
    (canvas) => new HistogramGrid(canvas),
    visible,
    `${scale}|${axis}|${withGrad}|${withNodes}`,
    (c, frame) => {
      const model = buildModel(frame, {
        rows,
        scale,
        axis,
        maxLayers: withNodes ? 20 : 12,
        nodes: withNodes,
      });
      c.update(model);
      // For tests and tools: the columns drawn, layers and nodes, left to right.
      const canvas = canvasRef.current;
      const cols = model.cols.map((col) => col.id).join(",");
      if (canvas && canvas.dataset.cols !== cols) canvas.dataset.cols = cols;
    },
  );

  return (
    <LiveView visible={visible} className="internals-view" testId="view-internals">
      <ViewToolbar>
        <ScaleToggle scale={scale} onChange={setScale} />
        <AxisToggle axis={axis} onChange={setAxis} perLabel="Per-layer" />
        <ViewCheck checked={withGrad} onChange={setWithGrad}>
          ∂L/∂W
        </ViewCheck>
        <ViewCheck
          checked={withNodes}
          onChange={setWithNodes}
          title="Batch norm, dropout, add and activation nodes as columns of their own"
        >
          Nodes
        </ViewCheck>
      </ViewToolbar>
      <ViewHint text={HINT} />
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="internals-canvas" />
      </div>
    </LiveView>
  );
}

export const LayerInternalsView = memo(LayerInternalsViewImpl);
