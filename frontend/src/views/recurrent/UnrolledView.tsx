/**
 * The network unrolled in time: a layer × step grid whose cells are coloured by the RMS of ∂L/∂h_t
 * (and, on request, of each gate's δ_t), or by the RMS of the state h_t itself. The timeline scrubs
 * it, so the dark band of large δ can be watched spreading back towards step 1 — or not reaching it.
 */
import { memo, useEffect, useRef, useState } from "react";
import type { ViewProps } from "../../app/viewTypes";
import { useElementSize, useLiveDraw } from "../useLiveDraw";
import { TimelineBar } from "../TimelineBar";
import { FullscreenButton } from "../FullscreenButton";
import { unrolledModel, type UnrolledQuantity } from "./model";
import { UnrolledGrid } from "./unrolledGrid";

const HINTS: Record<UnrolledQuantity, string> = {
  delta:
    "One column per step t (step 1 on the left), one row per recurrent layer: the colour is the RMS over " +
    "the batch and units of ∂L/∂h_t, the error signal BPTT carries back to that step.",
  h:
    "One column per step t (step 1 on the left), one row per recurrent layer: the colour is the RMS over " +
    "the batch and units of h_t, the state the layer carries forward (saturated near 1 for tanh).",
};

function UnrolledViewImpl({ visible }: ViewProps) {
  const rootRef = useRef<HTMLDivElement | null>(null);
  const [gates, setGates] = useState(false);
  const [quantity, setQuantity] = useState<UnrolledQuantity>("delta");
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const grid = useRef<UnrolledGrid | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();

  useEffect(() => {
    if (canvasRef.current) grid.current = new UnrolledGrid(canvasRef.current);
    return () => {
      grid.current = null;
    };
  }, []);

  useLiveDraw(visible, `${gates}|${quantity}|${sizeVersion}`, (frame) => {
    const g = grid.current;
    const { w, h } = size.current;
    if (!g || w < 10 || h < 10) return;
    g.resize(w, h);
    g.update(unrolledModel(frame, gates, quantity));
  });

  return (
    <div ref={rootRef} className="live-view unrolled-view" data-testid="view-unrolled">
      <div className="view-toolbar">
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
          <label className="check">
            <input type="checkbox" checked={gates} onChange={(e) => setGates(e.currentTarget.checked)} />
            each gate&apos;s δ
          </label>
        ) : null}
        <TimelineBar visible={visible} />
        <FullscreenButton target={rootRef} />
      </div>
      <p className="view-hint" title={HINTS[quantity]}>
        {HINTS[quantity]}
      </p>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="unrolled-canvas" />
      </div>
    </div>
  );
}

export const UnrolledView = memo(UnrolledViewImpl);
