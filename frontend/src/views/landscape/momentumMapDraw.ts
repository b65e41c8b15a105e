/** The (α, β) map: one cell per setting, shaded by steps to converge, the current setting ringed. */
import { font, type Rect } from "../../charts/canvas";
import type * as landscape from "../../generated";

export type MomentumMapData = landscape.MomentumMap;

/** Where a value sits along an axis of grid values, in cell units (0 = first cell's centre). */
export function axisPosition(grid: readonly number[], value: number, log = false): number {
  const f = log ? Math.log : (v: number) => v;
  if (grid.length < 2) return 0;
  if (value <= grid[0]!) return 0;
  for (let i = 1; i < grid.length; i++) {
    if (value <= grid[i]!) {
      const a = f(grid[i - 1]!);
      const b = f(grid[i]!);
      return i - 1 + (f(value) - a) / (b - a);
    }
  }
  return grid.length - 1;
}

/** The fill of one cell: darker the fewer steps; grey when it never got there; vermillion when it blew up. */
export function cellColour(steps: number | null, diverged: boolean, maxSteps: number): string {
  if (diverged) return "rgb(240, 170, 140)";
  if (steps === null) return "rgb(225, 225, 225)";
  const t = Math.sqrt(steps / maxSteps);
  return `rgb(${Math.round(20 + 200 * t)}, ${Math.round(110 + 120 * t)}, ${Math.round(90 + 140 * t)})`;
}

/** The (α, β) of the cell under a point of the map's rectangle, or null outside it. */
export function cellAt(
  rect: Rect,
  map: Pick<MomentumMapData, "learning_rates" | "momenta">,
  px: number,
  py: number,
): { lr: number; momentum: number } | null {
  if (px < rect.x || py < rect.y || px >= rect.x + rect.w || py >= rect.y + rect.h) return null;
  const j = Math.floor(((px - rect.x) / rect.w) * map.momenta.length);
  // Rows run α upwards: the bottom row is the smallest α.
  const i = Math.floor(((rect.y + rect.h - py) / rect.h) * map.learning_rates.length);
  const lr = map.learning_rates[i];
  const momentum = map.momenta[j];
  return lr === undefined || momentum === undefined ? null : { lr, momentum };
}

export function drawMomentumMap(ctx: CanvasRenderingContext2D, rect: Rect, map: MomentumMapData): void {
  const rows = map.learning_rates.length;
  const cols = map.momenta.length;
  const cw = rect.w / cols;
  const ch = rect.h / rows;
  ctx.font = font(12);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const steps = map.steps[i]?.[j] ?? null;
      // Rows run α upwards: the smallest α at the bottom.
      const x = rect.x + j * cw;
      const y = rect.y + rect.h - (i + 1) * ch;
      ctx.fillStyle = cellColour(steps, map.diverged[i]?.[j] ?? false, map.max_steps);
      ctx.fillRect(x, y, cw - 1, ch - 1);
      if (steps !== null && cw > 24 && ch > 14) {
        ctx.fillStyle = steps < map.max_steps * 0.3 ? "#fff" : "#222";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(String(steps), x + cw / 2, y + ch / 2);
      }
    }
  }
  const cx = rect.x + (axisPosition(map.momenta, map.current.momentum) + 0.5) * cw;
  const cy = rect.y + rect.h - (axisPosition(map.learning_rates, map.current.lr, true) + 0.5) * ch;
  ctx.strokeStyle = "#111";
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(cx, cy, Math.min(cw, ch) * 0.55, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillStyle = "#333";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText("β (momentum) →", rect.x + rect.w / 2, rect.y + rect.h + 16);
  map.momenta.forEach((b, j) => {
    if ((j % 2 === 0 && j < cols - 2) || j === cols - 1)
      ctx.fillText(String(b), rect.x + (j + 0.5) * cw, rect.y + rect.h + 2);
  });
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  map.learning_rates.forEach((a, i) => {
    if (i % 3 === 0 || i === rows - 1)
      ctx.fillText(a.toPrecision(2), rect.x - 4, rect.y + rect.h - (i + 0.5) * ch);
  });
}
