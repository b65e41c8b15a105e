/**
 * The network unrolled in time: a layer × step grid whose cells are coloured by the RMS of ∂L/∂h_t
 * (and, on request, of each gate's δ_t). The timeline scrubs it, so the dark band of large δ can be
 * watched spreading back towards step 1 — or not reaching it.
 */
import { memo, useEffect, useRef, useState } from "react";
import type { ViewProps } from "../../app/viewTypes";
import { useElementSize, useLiveDraw } from "../useLiveDraw";
import { TimelineBar } from "../TimelineBar";
import { FullscreenButton } from "../FullscreenButton";
import { unrolledModel } from "./model";
import { UnrolledGrid } from "./unrolledGrid";

const HINT =
  "One column per step t (step 1 on the left), one row per recurrent layer: the colour is the RMS over " +
  "the batch and units of ∂L/∂h_t, the error signal BPTT carries back to that step.";

function UnrolledViewImpl({ visible }: ViewProps) {
  const rootRef = useRef<HTMLDivElement | null>(null);
  const [gates, setGates] = useState(false);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const grid = useRef<UnrolledGrid | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();

  useEffect(() => {
    if (canvasRef.current) grid.current = new UnrolledGrid(canvasRef.current);
    return () => {
      grid.current = null;
    };
  }, []);

  useLiveDraw(visible, `${gates}|${sizeVersion}`, (frame) => {
    const g = grid.current;
    const { w, h } = size.current;
    if (!g || w < 10 || h < 10) return;
    g.resize(w, h);
    g.update(unrolledModel(frame, gates));
  });

  return (
    <div ref={rootRef} className="live-view unrolled-view" data-testid="view-unrolled">
      <div className="view-toolbar">
        <label className="check">
          <input type="checkbox" checked={gates} onChange={(e) => setGates(e.currentTarget.checked)} />
          each gate&apos;s δ
        </label>
        <TimelineBar visible={visible} />
        <FullscreenButton target={rootRef} />
      </div>
      <p className="view-hint" title={HINT}>
        {HINT}
      </p>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="unrolled-canvas" />
      </div>
    </div>
  );
}

export const UnrolledView = memo(UnrolledViewImpl);
