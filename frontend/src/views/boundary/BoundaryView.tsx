/**
 * Decision boundary over the data for 2-D datasets: the frame's output grid as a colour-blind-safe
 * diverging heat-map (orange = class 0, blue = class 1, light at 0.5), training points filled and
 * test points outlined. Points come from the dataset preview of the current data spec.
 */
import { memo, useEffect, useRef, useState } from "react";
import { BoundaryPlot, type BoundaryData } from "../../charts/boundaryPlot";
import { NEG_CSS, POS_CSS } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import { useSpecStore, useStores } from "../../store/context";
import type { BoundaryLike, FrameLike } from "../logic/frame";
import { useLiveChart } from "../useLiveChart";
import { discretized, isProbability, outputGrid, rangeOf, readPoints, type Point } from "./points";
import { NeuronStrip } from "./neuronStrip";
import { weightedLayers } from "../logic/warnings";
import { ViewToolbar, LiveView, ViewCheck } from "../ViewChrome";

/** Number of output classes: the output layer's width (1 = binary, one sigmoid unit). */
export function classCount(frame: FrameLike | null | undefined): number {
  const layers = frame?.layers ?? [];
  const n = layers[layers.length - 1]?.n_out;
  return typeof n === "number" && n > 1 ? n : 2;
}

export function boundaryData(
  frame: FrameLike | null | undefined,
  points: readonly Point[],
  discretize = false,
): BoundaryData | null {
  const b = frame?.boundary as BoundaryLike | null | undefined;
  if (!b) return null;
  const xr = rangeOf(b.x_range);
  const yr = rangeOf(b.y_range);
  if (!xr || !yr) return null;
  const out = outputGrid(b);
  const classes = out?.classIndex ? Math.max(3, classCount(frame)) : 2;
  const probability = out ? !out.classIndex && isProbability(out.grid.values) : true;
  let grid = out?.grid ?? null;
  // several outputs already give one class per cell
  const discrete = discretize && !!grid && !out?.classIndex;
  if (grid && discrete) grid = { ...grid, values: discretized(grid.values, probability) };
  return { grid, xRange: xr, yRange: yr, points, probability, classes, discrete };
}

/** Data points of the current data spec, fetched once per spec. */
function usePreviewPoints(): readonly Point[] {
  const { api } = useStores();
  const data = useSpecStore((s) => s.rest.data);
  const seed = useSpecStore((s) => s.rest.seed);
  const [points, setPoints] = useState<readonly Point[]>([]);
  const key = JSON.stringify([data, seed]);
  useEffect(() => {
    let alive = true;
    api
      .datasetPreview(data, seed ?? 0)
      .then((p) => {
        if (alive) setPoints(readPoints(p.points ?? null));
      })
      .catch(() => {
        if (alive) setPoints([]);
      });
    return () => {
      alive = false;
    };
    // `key` captures data and seed by value; the objects themselves change identity on every edit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  return points;
}

function BoundaryViewImpl({ visible }: ViewProps) {
  const [showTest, setShowTest] = useState(true);
  const [discretize, setDiscretize] = useState(false);
  const points = usePreviewPoints();
  const strip = useRef(new NeuronStrip());
  const { canvasRef, boxRef } = useLiveChart(
    (canvas) => new BoundaryPlot(canvas),
    visible,
    `${showTest}|${discretize}|${points.length}|${points[0]?.x ?? ""}`,
    (p, frame, { w, h }) => {
      const f = frame as FrameLike | null;
      p.update(boundaryData(f, points, discretize), { showTest });
      const ctx = p.context;
      const x = p.plotRight + 28;
      if (ctx && f?.boundary) {
        strip.current.draw(ctx, { x, y: 0, w: w - x - 4, h }, f.boundary as BoundaryLike, weightedLayers(f));
      }
    },
  );
  return (
    <LiveView visible={visible} className="boundary-view" testId="view-boundary">
      <ViewToolbar>
        <ViewCheck checked={showTest} onChange={setShowTest}>
          test points
        </ViewCheck>
        <ViewCheck
          checked={discretize}
          onChange={setDiscretize}
          title="Colour each cell by the class it decides, not by the output's value"
          testId="boundary-discretize"
        >
          discretize output
        </ViewCheck>
        <span className="legend">
          <span className="swatch" style={{ background: NEG_CSS }} /> class 0
          <span className="swatch" style={{ background: POS_CSS }} /> class 1
          <span className="dot filled" /> training
          <span className="dot ring" /> test
        </span>
      </ViewToolbar>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="boundary-canvas" />
      </div>
    </LiveView>
  );
}

export const BoundaryView = memo(BoundaryViewImpl);
