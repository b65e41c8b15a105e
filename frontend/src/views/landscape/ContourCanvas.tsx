/** The contour plot: click anywhere to start the race there. */
import { useEffect, useMemo, useRef } from "react";
import { clearedContext } from "../../charts/canvas";
import { useElementSize } from "../useLiveDraw";
import { drawAxes, drawMarks, drawPaths, surfaceImage, toWorld, type PlotFrame } from "./contourPlot";
import type { RaceResponse } from "./race";

const PAD = { left: 44, top: 6, right: 8, bottom: 22 };

export function ContourCanvas({
  data,
  start,
  step,
  onStart,
}: {
  data: RaceResponse;
  start: [number, number];
  step: number;
  onStart: (p: [number, number]) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const xRange = data.surface.x_range as [number, number];
  const yRange = data.surface.y_range as [number, number];
  const frame = (): PlotFrame => {
    const side = Math.max(
      60,
      Math.min(size.current.w - PAD.left - PAD.right, size.current.h - PAD.top - PAD.bottom),
    );
    return { rect: { x: PAD.left, y: PAD.top, w: side, h: side }, xRange, yRange };
  };
  // The banded image is the costly part: made once per surface and size, then scaled into place.
  const image = useMemo(() => {
    if (typeof document === "undefined") return null;
    const off = document.createElement("canvas");
    off.width = 240;
    off.height = 240;
    off.getContext("2d")?.putImageData(surfaceImage(data.surface.values, 240, 240), 0, 0);
    return off;
  }, [data.surface.values]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const { w, h } = size.current;
    if (!canvas || w <= 0 || h <= 0) return;
    const ctx = clearedContext(canvas, w, h);
    if (!ctx) return;
    const f = frame();
    if (image) ctx.drawImage(image, f.rect.x, f.rect.y, f.rect.w, f.rect.h);
    drawAxes(ctx, f);
    drawMarks(ctx, f, start, data.function.minima);
    drawPaths(ctx, f, data.trajectories, step);
    // frame() reads the size ref; sizeVersion is what changes with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, image, start, step, sizeVersion]);

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const f = frame();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    if (px < f.rect.x || py < f.rect.y || px > f.rect.x + f.rect.w || py > f.rect.y + f.rect.h) return;
    const [x, y] = toWorld(f, px, py);
    onStart([Number(x.toFixed(3)), Number(y.toFixed(3))]);
  };

  return (
    <div className="lab-contour" ref={boxRef}>
      <canvas
        ref={canvasRef}
        data-testid="lab-contour"
        aria-label={`Contour plot of ${data.function.title}; click to start the race there`}
        onClick={onClick}
      />
    </div>
  );
}
