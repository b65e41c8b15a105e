/**
 * A dropout or DropConnect mask drawn as a grid of cells: kept cells filled, dropped ones left pale
 * and crossed out, so a projector shows at a glance which units (or weights) this step trained.
 */
import { clearedContext, font, drawNote } from "../../charts/canvas";
import { POS_CSS } from "../../charts/palette";
import type { MaskGridModel } from "./model";

const LEFT = 44;
/** a dropped cell: pale red, so dropped units stand out from the white background on a projector */
export const DROPPED_CSS = "#f4c9c3";
export const CROSS_CSS = "#c0392b";
const TOP = 4;

/** Draws `grid` into the canvas (w × h CSS px); `rowLabel(r)` names a row in the left margin. */
export function drawMaskGrid(
  canvas: HTMLCanvasElement,
  w: number,
  h: number,
  grid: MaskGridModel | null,
  rowLabel: (r: number) => string,
): void {
  const ctx = clearedContext(canvas, w, h);
  if (!ctx) return;
  if (!grid) {
    drawNote(ctx, "No mask yet: the first training step draws one.", 4, 6, 14, { top: true });
    return;
  }
  // cells as large as the box allows (at most 28 px a side, and at most twice as tall as wide)
  const cw = Math.max(2, Math.min((w - LEFT - 2) / grid.cols, 28));
  const ch = Math.max(2, Math.min((h - TOP - 2) / grid.rows, 28, cw * 2.5));
  const gap = Math.min(cw, ch) >= 5 ? 1 : 0;
  const every = Math.ceil(12 / ch); // row labels where there is room for them
  for (let r = 0; r < grid.rows; r++) {
    const y = TOP + r * ch;
    if (r % every === 0) {
      ctx.fillStyle = "#333";
      ctx.font = font(Math.min(13, Math.max(10, ch)));
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ctx.fillText(rowLabel(r), LEFT - 6, y + ch / 2);
    }
    for (let c = 0; c < grid.cols; c++) {
      const x = LEFT + c * cw;
      const kept = grid.kept[r * grid.cols + c];
      ctx.fillStyle = kept ? POS_CSS : DROPPED_CSS;
      ctx.fillRect(x, y, cw - gap, ch - gap);
      if (!kept && Math.min(cw, ch) >= 7) {
        ctx.strokeStyle = CROSS_CSS;
        ctx.lineWidth = Math.min(cw, ch) >= 14 ? 2 : 1;
        const mx = cw * 0.22;
        const my = ch * 0.22;
        ctx.beginPath();
        ctx.moveTo(x + mx, y + my);
        ctx.lineTo(x + cw - gap - mx, y + ch - gap - my);
        ctx.moveTo(x + cw - gap - mx, y + my);
        ctx.lineTo(x + mx, y + ch - gap - my);
        ctx.stroke();
      }
    }
  }
}
