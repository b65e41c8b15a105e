/**
 * The run's own loss landscape, computed on request: the training loss on a plane through the
 * current weights (random filter-normalised directions, or the path's own two), banded like the test
 * functions above, with the path the run took projected on it.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { clearedContext } from "../../charts/canvas";
import { fmtNum } from "../../charts/format";
import type { NetworkLandscape } from "../../generated";
import { ApiError } from "../../net/api";
import { useRunStore, useStores } from "../../store/context";
import { useElementSize } from "../useLiveDraw";
import { drawAxes, surfaceImage, toPx, type PlotFrame } from "./contourPlot";
import { DIRECTION_TITLES, landscapeSummary, pathPoints, planeRanges, type Directions } from "./runLandscape";
import { LabError } from "./LabError";

const PAD = { left: 52, top: 6, right: 8, bottom: 22 };
const PATH_COLOUR = "#d55e00";

function drawLandscape(
  ctx: CanvasRenderingContext2D,
  f: PlotFrame,
  l: NetworkLandscape,
  image: HTMLCanvasElement,
) {
  const { x, y, w, h } = f.rect;
  ctx.drawImage(image, x, y, w, h);
  drawAxes(ctx, f, ["α", "β"], (v) => fmtNum(v, 2));
  const points = pathPoints(l).map(([a, b]) => toPx(f, a, b));
  ctx.strokeStyle = PATH_COLOUR;
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(px, py) : ctx.lineTo(px, py)));
  ctx.stroke();
  ctx.fillStyle = PATH_COLOUR;
  for (const [px, py] of points) {
    ctx.beginPath();
    ctx.arc(px, py, 2.5, 0, Math.PI * 2);
    ctx.fill();
  }
  const start = points[0];
  if (start) {
    ctx.strokeStyle = "#111";
    ctx.beginPath();
    ctx.arc(start[0], start[1], 7, 0, Math.PI * 2);
    ctx.stroke();
  }
  // The centre: the weights now.
  const [cx, cy] = toPx(f, 0, 0);
  ctx.fillStyle = "#111";
  ctx.beginPath();
  ctx.arc(cx, cy, 5, 0, Math.PI * 2);
  ctx.fill();
}

function LandscapePlot({ landscape }: { landscape: NetworkLandscape }) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const image = useMemo(() => {
    if (typeof document === "undefined") return null;
    const off = document.createElement("canvas");
    off.width = 200;
    off.height = 200;
    off.getContext("2d")?.putImageData(surfaceImage(landscape.loss, 200, 200), 0, 0);
    return off;
  }, [landscape.loss]);
  useEffect(() => {
    const canvas = canvasRef.current;
    const { w, h } = size.current;
    if (!canvas || !image || w <= 0 || h <= 0) return;
    const ctx = clearedContext(canvas, w, h);
    if (!ctx) return;
    const side = Math.max(60, Math.min(w - PAD.left - PAD.right, h - PAD.top - PAD.bottom));
    drawLandscape(
      ctx,
      { rect: { x: PAD.left, y: PAD.top, w: side, h: side }, ...planeRanges(landscape) },
      landscape,
      image,
    );
    // size is a ref; sizeVersion is what changes with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [landscape, image, sizeVersion]);
  return (
    <div className="lab-contour run-landscape-plot" ref={boxRef}>
      <canvas
        ref={canvasRef}
        data-testid="run-landscape-canvas"
        aria-label="The run's training loss on a plane through its weights, with its path"
      />
    </div>
  );
}

export function RunLandscape() {
  const { api } = useStores();
  const runId = useRunStore((s) => s.runId);
  const step = useRunStore((s) => s.step);
  const [directions, setDirections] = useState<Directions>("path");
  const [result, setResult] = useState<NetworkLandscape | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const compute = () => {
    if (!runId) return;
    setBusy(true);
    setError(null);
    api
      .request<NetworkLandscape>("POST", `/runs/${runId}/landscape`, { directions, resolution: 25 })
      .then(setResult)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  const shown = result && result.run === runId ? result : null;
  return (
    <section className="lab-network-step run-landscape" data-testid="run-landscape">
      <h4>
        Your run&apos;s own landscape{" "}
        <select
          aria-label="Plane"
          value={directions}
          onChange={(e) => setDirections(e.target.value as Directions)}
          title={DIRECTION_TITLES[directions]}
        >
          <option value="path">along its path</option>
          <option value="random">random directions</option>
        </select>{" "}
        <button type="button" onClick={compute} disabled={!runId || busy} data-testid="run-landscape-compute">
          {busy ? "Computing…" : runId ? `Slice at step ${step}` : "Train a run first"}
        </button>
      </h4>
      <LabError error={error} />
      {shown ? (
        <div className="run-landscape-body">
          <LandscapePlot landscape={shown} />
          <p className="lab-legend" data-testid="run-landscape-summary">
            {landscapeSummary(shown)} Ring: where it started · line: its path · dot: the weights now. Darker
            bands: higher loss.
          </p>
        </div>
      ) : null}
    </section>
  );
}
