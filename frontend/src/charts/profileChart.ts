/**
 * Per-layer profile on a log axis: one point per layer for each series, joined by lines — how a
 * quantity changes with depth at this instant (RMS δ shrinking toward the input; var(z) measured
 * against the n_in·var(W)·E[x²] prediction). Layers are categories on x, input side on the left.
 */
import { CanvasChart, font, drawNote, strokeLine } from "./canvas";
import { superscript } from "./format";

export interface ProfileSeries {
  label: string;
  colour: string;
  values: readonly (number | null)[];
  dashed?: boolean;
}

/** Whole decades [lo, hi] (as exponents) covering the positive finite values; null if there are none. */
export function decadeRange(series: readonly ProfileSeries[]): { lo: number; hi: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const v of s.values) {
      if (v !== null && v > 0 && Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  if (!(min <= max)) return null;
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  return { lo, hi };
}

export class ProfileChart extends CanvasChart {
  update(layers: readonly string[], series: readonly ProfileSeries[]): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const { w, h } = this;
    ctx.clearRect(0, 0, w, h);
    const range = decadeRange(series);
    const left = 56;
    const right = 12;
    const top = 30;
    const bottom = 26;
    const pw = w - left - right;
    const ph = h - top - bottom;
    if (!range || layers.length === 0 || pw < 20 || ph < 20) {
      drawNote(ctx, "Waiting for telemetry…", 8, 20, 14);
      return;
    }
    const span = range.hi - range.lo;
    const toY = (v: number) => top + ph - ((Math.log10(v) - range.lo) / span) * ph;
    const step = pw / layers.length;
    const toX = (i: number) => left + step * (i + 0.5);

    // Decade grid; label every decade, or every k-th when they would crowd.
    const every = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(ph / 18))));
    ctx.font = font(12);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let e = range.lo; e <= range.hi; e++) {
      const y = toY(10 ** e);
      ctx.strokeStyle = "#e4e4e4";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(left, Math.round(y) + 0.5);
      ctx.lineTo(left + pw, Math.round(y) + 0.5);
      ctx.stroke();
      if ((e - range.lo) % every === 0) {
        ctx.fillStyle = "#444";
        ctx.fillText(`10${superscript(e)}`, left - 6, y);
      }
    }
    ctx.fillStyle = "#222";
    ctx.font = font(13, 600);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    layers.forEach((id, i) => ctx.fillText(id, toX(i), top + ph + 6, step - 2));

    for (const s of series) {
      ctx.strokeStyle = s.colour;
      ctx.fillStyle = s.colour;
      ctx.lineWidth = 2.5;
      ctx.setLineDash(s.dashed ? [7, 5] : []);
      strokeLine(
        ctx,
        s.values.map((v, i) => (v === null || !(v > 0) || !Number.isFinite(v) ? null : [toX(i), toY(v)])),
      );
      ctx.setLineDash([]);
      if (!s.dashed) {
        s.values.forEach((v, i) => {
          if (v === null || !(v > 0) || !Number.isFinite(v)) return;
          ctx.beginPath();
          ctx.arc(toX(i), toY(v), 4, 0, Math.PI * 2);
          ctx.fill();
        });
      }
    }

    // Legend across the top.
    ctx.font = font(13);
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    let x = left;
    for (const s of series) {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 2.5;
      ctx.setLineDash(s.dashed ? [6, 4] : []);
      ctx.beginPath();
      ctx.moveTo(x, 12);
      ctx.lineTo(x + 22, 12);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#222";
      ctx.fillText(s.label, x + 27, 12);
      x += 27 + ctx.measureText(s.label).width + 18;
    }
  }
}
