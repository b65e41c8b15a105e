/** Canvas helpers shared by the chart classes. */

/**
 * Size a canvas for crisp drawing on high-DPI screens: the backing store is css × devicePixelRatio and
 * the context is scaled so drawing code works in CSS pixels. The backing store is reallocated only when
 * the size actually changes (reallocating every frame is a large hidden cost). Returns true if resized.
 */
export function fitCanvas(canvas: HTMLCanvasElement, cssW: number, cssH: number): boolean {
  const dpr = typeof window !== "undefined" ? Math.min(2, window.devicePixelRatio || 1) : 1;
  const w = Math.max(1, Math.round(cssW * dpr));
  const h = Math.max(1, Math.round(cssH * dpr));
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext("2d");
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return true;
}

/** Scale from CSS to backing-store pixels currently applied to the canvas. */
export function canvasScale(canvas: HTMLCanvasElement): number {
  const cssW = parseFloat(canvas.style.width) || canvas.width;
  return canvas.width / cssW;
}

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** Font string in CSS pixels; views pass projector-sized values (≥ 13 px). */
export function font(px: number, weight: 400 | 600 | 700 = 400): string {
  return `${weight} ${px}px ${FONT}`;
}

export interface LineStyle {
  colour: string;
  width: number;
  /** dash pattern; solid when absent */
  dash?: number[];
}

/**
 * Stroke a line through the points in order; at a null the pen lifts (a gap, not a line across it).
 * With `style`, in that colour, width and dash (the dash is reset after).
 */
export function strokeLine(
  ctx: CanvasRenderingContext2D,
  points: readonly (readonly [number, number] | null)[],
  style?: LineStyle,
): void {
  if (style) {
    ctx.strokeStyle = style.colour;
    ctx.lineWidth = style.width;
    ctx.setLineDash(style.dash ?? []);
  }
  ctx.beginPath();
  let pen = false;
  for (const p of points) {
    if (p === null) pen = false;
    else if (pen) ctx.lineTo(p[0], p[1]);
    else {
      ctx.moveTo(p[0], p[1]);
      pen = true;
    }
  }
  ctx.stroke();
  if (style?.dash) ctx.setLineDash([]);
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function inside(r: Rect, x: number, y: number): boolean {
  return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/**
 * Fit `canvas` to cssW × cssH (see fitCanvas) and return its 2-D context, cleared, or null where
 * there is none (no canvas yet, or a test's jsdom): the start of every full redraw.
 */
export function clearedContext(
  canvas: HTMLCanvasElement | null,
  cssW: number,
  cssH: number,
): CanvasRenderingContext2D | null {
  if (!canvas) return null;
  fitCanvas(canvas, cssW, cssH);
  const ctx = canvas.getContext("2d");
  ctx?.clearRect(0, 0, cssW, cssH);
  return ctx;
}

/**
 * A plain note where a chart has nothing to draw yet ("Waiting for telemetry…"): grey text of `px`
 * CSS pixels, left-aligned, its baseline (or its top, with `top`) at (x, y).
 */
export function drawNote(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  px: number,
  options: { colour?: string; top?: boolean } = {},
): void {
  ctx.fillStyle = options.colour ?? "#666";
  ctx.font = font(px);
  ctx.textAlign = "left";
  ctx.textBaseline = options.top ? "top" : "alphabetic";
  ctx.fillText(text, x, y);
}

/** A chart drawing on one canvas, at the CSS size it was last given. */
export class CanvasChart {
  protected w = 0;
  protected h = 0;

  constructor(protected readonly canvas: HTMLCanvasElement) {}

  /** Size the canvas to w × h CSS pixels (see fitCanvas); true when its backing store was reallocated. */
  resize(w: number, h: number): boolean {
    this.w = w;
    this.h = h;
    return fitCanvas(this.canvas, w, h);
  }
}
