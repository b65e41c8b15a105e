/**
 * The network unrolled in time: a layer × step grid whose cells are coloured by the RMS of ∂L/∂h_t
 * (and, on request, of each gate's δ_t), or by the RMS of the state h_t itself. The timeline scrubs
 * it, so the dark band of large δ can be watched spreading back towards step 1 — or not reaching it.
 */
import { memo, useState } from "react";
import type { ViewProps } from "../../app/viewTypes";
import { useLiveChart } from "../useLiveChart";
import { unrolledModel, type UnrolledQuantity } from "./model";
import { UnrolledGrid } from "./unrolledGrid";
import { ViewHint, ViewToolbar, LiveView, ViewCheck } from "../ViewChrome";

const HINTS: Record<UnrolledQuantity, string> = {
  delta:
    "One column per step t (step 1 on the left), one row per recurrent layer: the colour is the RMS over " +
    "the batch and units of ∂L/∂h_t, the error signal BPTT carries back to that step.",
  h:
    "One column per step t (step 1 on the left), one row per recurrent layer: the colour is the RMS over " +
    "the batch and units of h_t, the state the layer carries forward (saturated near 1 for tanh).",
};

function UnrolledViewImpl({ visible }: ViewProps) {
  const [gates, setGates] = useState(false);
  const [quantity, setQuantity] = useState<UnrolledQuantity>("delta");
  const { canvasRef, boxRef } = useLiveChart(
    (canvas) => new UnrolledGrid(canvas),
    visible,
    `${gates}|${quantity}`,
    (g, frame) => g.update(unrolledModel(frame, gates, quantity)),
  );

  return (
    <LiveView visible={visible} className="unrolled-view" testId="view-unrolled">
      <ViewToolbar>
        <label>
          colour by{" "}
          <select
            aria-label="colour by"
            value={quantity}
            onChange={(e) => setQuantity(e.currentTarget.value as UnrolledQuantity)}
          >
            <option value="delta">δ: ∂L/∂h_t</option>
            <option value="h">state: h_t</option>
          </select>
        </label>
        {quantity === "delta" ? (
          <ViewCheck checked={gates} onChange={setGates}>
            each gate&apos;s δ
          </ViewCheck>
        ) : null}
      </ViewToolbar>
      <ViewHint text={HINTS[quantity]} />
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="unrolled-canvas" />
      </div>
    </LiveView>
  );
}

export const UnrolledView = memo(UnrolledViewImpl);
