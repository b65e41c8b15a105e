/**
 * A chart object drawing on a canvas of its own: made once the canvas is mounted, and redrawn from the
 * live loop at the size of the box around it (see useLiveDraw for when).
 */
import { useEffect, useRef } from "react";
import type { LiveFrame, TelemetryHub } from "../telemetry";
import { useElementSize, useLiveDraw } from "./useLiveDraw";

interface Resizable {
  resize(w: number, h: number): unknown;
}

/**
 * Refs for the canvas and the box whose size it takes; `draw` gets the chart already resized to the
 * box (skipped while the box is under 10 px a side), and `key` names the options that change the picture.
 */
export function useLiveChart<C extends Resizable>(
  make: (canvas: HTMLCanvasElement) => C,
  visible: boolean,
  key: string,
  draw: (chart: C, frame: LiveFrame | null, size: { w: number; h: number }, hub: TelemetryHub) => void,
) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const chart = useRef<C | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const makeRef = useRef(make);
  useEffect(() => {
    if (canvasRef.current) chart.current = makeRef.current(canvasRef.current);
    return () => {
      chart.current = null;
    };
  }, []);
  useLiveDraw(visible, `${key}|${sizeVersion}`, (frame, hub) => {
    const c = chart.current;
    const { w, h } = size.current;
    if (!c || w < 10 || h < 10) return;
    c.resize(w, h);
    draw(c, frame, { w, h }, hub);
  });
  return { canvasRef, boxRef };
}
