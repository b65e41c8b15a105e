/**
 * The test function as a contour plot (banded on a log scale, lines where the band changes) with the
 * optimisers' paths, and at the shown step the arrows of what each is about to do. Canvas 2D, pure
 * apart from drawing into the context it is given.
 */
import { font, type Rect } from "../../charts/canvas";
import { CATEGORICAL } from "../../charts/palette";
import type { RaceTrajectory, StepState } from "./race";

export interface PlotFrame {
  rect: Rect;
  xRange: readonly [number, number];
  yRange: readonly [number, number];
}

/** World (x, y) → canvas pixels; y grows upwards in the world and downwards on the canvas. */
export function toPx(f: PlotFrame, x: number, y: number): [number, number] {
  const [x0, x1] = f.xRange;
  const [y0, y1] = f.yRange;
  return [f.rect.x + ((x - x0) / (x1 - x0)) * f.rect.w, f.rect.y + ((y1 - y) / (y1 - y0)) * f.rect.h];
}

/** Canvas pixels → world (x, y): where a click puts the start point. */
export function toWorld(f: PlotFrame, px: number, py: number): [number, number] {
  const [x0, x1] = f.xRange;
  const [y0, y1] = f.yRange;
  return [x0 + ((px - f.rect.x) / f.rect.w) * (x1 - x0), y1 - ((py - f.rect.y) / f.rect.h) * (y1 - y0)];
}

export const BANDS = 14;

/**
 * Which band f falls in, 0 … BANDS−1, on log(1 + f − lo): test functions span many decades (Rosenbrock
 * runs from 0 to thousands), and equal steps of the log give contour lines near the minimum too.
 */
export function bandOf(value: number | null, lo: number, hi: number): number {
  if (value === null || !Number.isFinite(value)) return BANDS - 1;
  const t = Math.log1p(Math.max(0, value - lo)) / Math.log1p(Math.max(1e-12, hi - lo));
  return Math.min(BANDS - 1, Math.max(0, Math.floor(t * BANDS)));
}

/** f at (u, v) ∈ [0, 1]² by bilinear interpolation of the grid (rows along y, low to high). */
export function sampleGrid(
  values: readonly (readonly (number | null)[])[],
  u: number,
  v: number,
): number | null {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const fx = Math.min(cols - 1, Math.max(0, u * (cols - 1)));
  const fy = Math.min(rows - 1, Math.max(0, v * (rows - 1)));
  const i0 = Math.floor(fy);
  const j0 = Math.floor(fx);
  const i1 = Math.min(rows - 1, i0 + 1);
  const j1 = Math.min(cols - 1, j0 + 1);
  const corners = [values[i0]?.[j0], values[i0]?.[j1], values[i1]?.[j0], values[i1]?.[j1]];
  if (corners.some((c) => c === null || c === undefined)) return null;
  const [a, b, c, d] = corners as number[];
  const tx = fx - j0;
  const ty = fy - i0;
  return (a! * (1 - tx) + b! * tx) * (1 - ty) + (c! * (1 - tx) + d! * tx) * ty;
}

function bandColour(band: number): [number, number, number] {
  // Light at the bottom of the surface, a darker blue-grey up its walls: the paths' colours stay clear.
  const t = band / (BANDS - 1);
  return [252 - 120 * t, 252 - 100 * t, 250 - 70 * t];
}

/** The banded surface as an image of w × h pixels. */
export function surfaceImage(
  values: readonly (readonly (number | null)[])[],
  w: number,
  h: number,
): ImageData {
  const finite = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const bands = new Int16Array(w * h);
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      // Image rows run top to bottom, the grid's rows bottom to top.
      bands[py * w + px] = bandOf(sampleGrid(values, px / (w - 1), 1 - py / (h - 1)), lo, hi);
    }
  }
  const img = new ImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const b = bands[i]!;
    const edge = (i % w < w - 1 && bands[i + 1] !== b) || (i + w < w * h && bands[i + w] !== b);
    const [r, g, bl] = edge ? [110, 120, 135] : bandColour(b);
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = bl;
    img.data[i * 4 + 3] = 255;
  }
  return img;
}

function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 1) return;
  const ux = (x1 - x0) / len;
  const uy = (y1 - y0) / len;
  const head = Math.min(8, len / 2);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * (ux - 0.5 * uy), y1 - head * (uy + 0.5 * ux));
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * (ux + 0.5 * uy), y1 - head * (uy - 0.5 * ux));
  ctx.stroke();
}

/** The direction of a world vector as a fixed-length arrow (its size varies over decades). */
function directionArrow(
  ctx: CanvasRenderingContext2D,
  from: [number, number],
  vec: readonly (number | null)[] | null | undefined,
  sign: number,
  length: number,
): void {
  const vx = vec?.[0];
  const vy = vec?.[1];
  if (vx === null || vx === undefined || vy === null || vy === undefined) return;
  const n = Math.hypot(vx, vy);
  if (!(n > 0) || !Number.isFinite(n)) return;
  // Canvas y points down: the world's +y is −y on screen.
  arrow(ctx, from[0], from[1], from[0] + (sign * length * vx) / n, from[1] - (sign * length * vy) / n);
}

/** The optimiser's own memory: velocity for the momentum forms, m̂ (else m) for the Adam family. */
export function memoryVector(s: StepState): readonly (number | null)[] | null {
  return s.velocity ?? s.m_hat ?? s.m ?? null;
}

/** Paths up to `step`, each optimiser's point there, and arrows for the step it takes next. */
export function drawPaths(
  ctx: CanvasRenderingContext2D,
  frame: PlotFrame,
  trajectories: readonly RaceTrajectory[],
  step: number,
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.rect.x, frame.rect.y, frame.rect.w, frame.rect.h);
  ctx.clip();
  trajectories.forEach((t, i) => {
    const colour = CATEGORICAL[i % CATEGORICAL.length]!;
    const shown = t.points.slice(0, step + 1).filter((p) => p[0] !== null && p[1] !== null);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    shown.forEach((p, k) => {
      const [px, py] = toPx(frame, p[0]!, p[1]!);
      if (k === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
    const last = shown[shown.length - 1];
    if (!last) return;
    const at = toPx(frame, last[0]!, last[1]!);
    ctx.beginPath();
    ctx.arc(at[0], at[1], 5, 0, Math.PI * 2);
    ctx.fill();
    const next = t.state[shown.length - 1];
    if (!next || shown.length - 1 !== step) return;
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = "#333";
    directionArrow(ctx, at, next.grad, -1, 34);
    const memory = memoryVector(next);
    if (memory) {
      ctx.setLineDash([2, 3]);
      ctx.strokeStyle = colour;
      directionArrow(ctx, at, memory, -1, 46);
    }
    ctx.setLineDash([]);
  });
  ctx.restore();
}

/** The start point (a ring) and the function's minima (crosses). */
export function drawMarks(
  ctx: CanvasRenderingContext2D,
  frame: PlotFrame,
  start: readonly [number, number],
  minima: readonly (readonly number[])[],
): void {
  ctx.strokeStyle = "#111";
  ctx.lineWidth = 2;
  for (const m of minima) {
    const [px, py] = toPx(frame, m[0]!, m[1]!);
    ctx.beginPath();
    ctx.moveTo(px - 5, py - 5);
    ctx.lineTo(px + 5, py + 5);
    ctx.moveTo(px + 5, py - 5);
    ctx.lineTo(px - 5, py + 5);
    ctx.stroke();
  }
  const [sx, sy] = toPx(frame, start[0], start[1]);
  ctx.beginPath();
  ctx.arc(sx, sy, 7, 0, Math.PI * 2);
  ctx.stroke();
}

/** The square's frame and its limits at its corners, the low ones named (`x`, `y` unless told). */
export function drawAxes(
  ctx: CanvasRenderingContext2D,
  frame: PlotFrame,
  names: readonly [string, string] = ["x", "y"],
  fmt: (v: number) => string = String,
): void {
  const { x, y, w, h } = frame.rect;
  ctx.strokeStyle = "#888";
  ctx.lineWidth = 1;
  ctx.strokeRect(x, y, w, h);
  ctx.fillStyle = "#444";
  ctx.font = font(13);
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(`${names[0]} ${fmt(frame.xRange[0])}`, x, y + h + 3);
  ctx.textAlign = "right";
  ctx.fillText(fmt(frame.xRange[1]), x + w, y + h + 3);
  ctx.textBaseline = "middle";
  ctx.fillText(`${names[1]} ${fmt(frame.yRange[1])}`, x - 4, y + 8);
  ctx.fillText(fmt(frame.yRange[0]), x - 4, y + h - 8);
}
