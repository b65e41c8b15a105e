/**
 * The unrolled network drawn as a grid: one row per recurrent layer (and per gate), one column per
 * step t, each cell coloured by log10 of its RMS δ (or RMS h) on a scale shared by every row, with the value
 * written in the cell when it fits. Step 1 is on the left, as the sequence is read.
 */
import { CanvasChart, font, type Rect, drawNote } from "../../charts/canvas";
import { LUT_SIZE, lutCss, lutIndex, sequentialLut } from "../../charts/palette";
import { fmtNum, superscript } from "../../charts/format";
import type { UnrolledModel } from "./model";

const LEFT = 150;
const TOP = 34;
const LEGEND_H = 46;

export class UnrolledGrid extends CanvasChart {
  private readonly lut = sequentialLut();
  /** cell rectangles of the last draw, for tests and hit-testing */
  cells: { rect: Rect; row: number; step: number }[] = [];

  update(model: UnrolledModel): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, this.w, this.h);
    this.cells = [];
    const nR = model.rows.length;
    const nT = model.steps;
    if (nR === 0 || nT === 0) {
      drawNote(ctx, "Waiting for a recurrent layer's δ through time…", 16, 32, 18, { colour: "#555" });
      return;
    }
    const cellW = (this.w - LEFT - 8) / nT;
    const cellH = Math.min(56, (this.h - TOP - LEGEND_H) / nR);
    const range = model.logRange;

    // Step numbers along the top, thinned so that labels never collide.
    ctx.fillStyle = "#333";
    ctx.font = font(13);
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    const every = Math.max(1, Math.ceil(34 / Math.max(cellW, 1)));
    for (let t = 0; t < nT; t++) {
      if (t % every !== 0 && t !== nT - 1) continue;
      ctx.fillText(`t=${t + 1}`, LEFT + (t + 0.5) * cellW, TOP - 10);
    }

    for (let r = 0; r < nR; r++) {
      const row = model.rows[r]!;
      const y = TOP + r * cellH;
      ctx.fillStyle = "#111";
      ctx.font = font(15, 600);
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ctx.fillText(row.label, LEFT - 8, y + cellH / 2, LEFT - 12);
      for (let t = 0; t < nT; t++) {
        const v = row.values[t] ?? null;
        const rect: Rect = { x: LEFT + t * cellW, y, w: cellW, h: cellH };
        this.cells.push({ rect, row: r, step: t });
        if (v === null || !(v > 0) || !range) {
          ctx.fillStyle = "#eee";
        } else {
          ctx.fillStyle = lutCss(this.lut, lutIndex(Math.log10(v), range.lo, range.hi, LUT_SIZE));
        }
        ctx.fillRect(rect.x + 0.5, rect.y + 0.5, Math.max(1, rect.w - 1), Math.max(1, rect.h - 1));
        if (v !== null && cellW >= 52 && cellH >= 22) {
          const t01 = range && v > 0 ? (Math.log10(v) - range.lo) / (range.hi - range.lo) : 0;
          ctx.fillStyle = t01 > 0.55 ? "#fff" : "#000";
          ctx.font = font(12);
          ctx.textAlign = "center";
          ctx.fillText(fmtNum(v, 2), rect.x + rect.w / 2, rect.y + rect.h / 2, rect.w - 4);
        }
      }
    }
    if (range) this.drawLegend(ctx, range, TOP + nR * cellH + 14, model.legend);
  }

  private drawLegend(
    ctx: CanvasRenderingContext2D,
    range: { lo: number; hi: number },
    y: number,
    label: string,
  ): void {
    const x0 = LEFT;
    const width = Math.min(320, this.w - LEFT - 16);
    if (width < 40) return;
    for (let i = 0; i < width; i++) {
      ctx.fillStyle = lutCss(this.lut, Math.floor((i / width) * (LUT_SIZE - 1)));
      ctx.fillRect(x0 + i, y, 1.5, 12);
    }
    ctx.fillStyle = "#333";
    ctx.font = font(13);
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(`10${superscript(Math.floor(range.lo))}`, x0, y + 15);
    ctx.textAlign = "right";
    ctx.fillText(`10${superscript(Math.ceil(range.hi))}`, x0 + width, y + 15);
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(label, x0 + width + 12, y + 6);
  }
}
