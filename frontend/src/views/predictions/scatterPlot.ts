/**
 * Regression: predicted against true values on one shared scale, with the y = x line a perfect
 * network's points would lie on.
 */
import { clearedContext, font, type Rect } from "../../charts/canvas";
import { fmtNum } from "../../charts/format";
import { columnLabel, niceTicks, scatterRange } from "./model";

const POINT = "rgba(0, 114, 178, 0.55)"; // Okabe–Ito blue
const DIAGONAL = "#D55E00"; // vermillion

export class ScatterPainter {
  /** the square plot area of the last paint (CSS px in the canvas), for browser tests */
  plot: Rect = { x: 0, y: 0, w: 0, h: 0 };
  /** points drawn by the last paint */
  drawn = 0;

  paint(
    canvas: HTMLCanvasElement,
    w: number,
    h: number,
    target: readonly number[],
    predicted: readonly number[],
    name: string | null,
    big: boolean,
  ): void {
    this.drawn = 0;
    const ctx = clearedContext(canvas, w, h);
    if (!ctx) return;
    const fs = big ? 16 : 13;
    const left = fs * 4.4;
    const bottom = fs * 3.2;
    const top = 8;
    const side = Math.max(40, Math.min(w - left - 12, h - bottom - top));
    const p = { x: left, y: top, w: side, h: side };
    this.plot = p;
    const [lo, hi] = scatterRange(target, predicted);
    const sx = (v: number) => p.x + ((v - lo) / (hi - lo)) * p.w;
    const sy = (v: number) => p.y + p.h - ((v - lo) / (hi - lo)) * p.h;

    // grid and ticks
    ctx.font = font(fs - 1);
    ctx.fillStyle = "#333";
    ctx.strokeStyle = "#e4e4e4";
    ctx.lineWidth = 1;
    for (const t of niceTicks(lo, hi, side > 260 ? 6 : 4)) {
      const x = Math.round(sx(t)) + 0.5;
      const y = Math.round(sy(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, p.y);
      ctx.lineTo(x, p.y + p.h);
      ctx.moveTo(p.x, y);
      ctx.lineTo(p.x + p.w, y);
      ctx.stroke();
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillText(fmtNum(t, 3), x, p.y + p.h + 4);
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ctx.fillText(fmtNum(t, 3), p.x - 5, y);
    }
    ctx.strokeStyle = "#888";
    ctx.strokeRect(p.x + 0.5, p.y + 0.5, p.w - 1, p.h - 1);

    // axis titles
    const what = name ? columnLabel(name) : "target";
    ctx.fillStyle = "#111";
    ctx.font = font(fs, 600);
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(`true ${what}`, p.x + p.w / 2, p.y + p.h + bottom - 2);
    ctx.save();
    ctx.translate(fs, p.y + p.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(`predicted ${what}`, 0, 0);
    ctx.restore();

    // y = x: where every point of a perfect network lies
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    ctx.strokeStyle = DIAGONAL;
    ctx.lineWidth = 2;
    ctx.setLineDash([7, 5]);
    ctx.beginPath();
    ctx.moveTo(sx(lo), sy(lo));
    ctx.lineTo(sx(hi), sy(hi));
    ctx.stroke();
    ctx.setLineDash([]);

    const r = big ? 4 : 3;
    ctx.fillStyle = POINT;
    const n = Math.min(target.length, predicted.length);
    for (let i = 0; i < n; i++) {
      const t = target[i]!;
      const v = predicted[i]!;
      if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
      ctx.beginPath();
      ctx.arc(sx(t), sy(v), r, 0, 2 * Math.PI);
      ctx.fill();
      this.drawn++;
    }
    ctx.restore();

    // label the diagonal in the top-left corner, clear of most points
    ctx.fillStyle = DIAGONAL;
    ctx.font = font(fs - 1, 600);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText("– – y = x (perfect)", p.x + 6, p.y + 4);
  }
}
