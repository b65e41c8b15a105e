/**
 * Canvas drawing of the sweep and comparison charts: parallel coordinates, overlaid histograms (one
 * step outline per run on shared bins), histogram differences from a reference run (signed bars
 * around zero, side by side in each bin) and gradient flow across layers. Plain Canvas 2D, sized in CSS
 * pixels by fitCanvas; each function draws its whole chart.
 */
import { clearedContext, font, strokeLine } from "../charts/canvas";
import { CATEGORICAL } from "../charts/palette";
import { fmtNum, fmtPct } from "../charts/format";
import type { Differences, Overlay } from "./compareModel";
import type { ParallelModel } from "./parallel";

const INK = "#1b1f24";
const MUTED = "#5b6572";
const GRID = "#d5dbe1";

/** The colour of the i-th run in a comparison. */
export function runColour(i: number): string {
  return CATEGORICAL[i % CATEGORICAL.length]!;
}

/** Best final loss blue, worst orange (the app's diverging pair), through grey. */
export function rankColour(rank: number): string {
  const a = [8, 110, 185];
  const b = [230, 120, 20];
  const mix = a.map((v, k) => Math.round(v + (b[k]! - v) * rank));
  return `rgb(${mix.join(",")})`;
}

export function drawParallel(
  canvas: HTMLCanvasElement,
  model: ParallelModel,
  w: number,
  h: number,
  highlight: string | null,
): void {
  const ctx = clearedContext(canvas, w, h);
  if (!ctx) return;
  const n = model.axes.length;
  if (n === 0) return;
  const left = 70;
  const right = 70;
  const bottom = 16;
  const spacing = n === 1 ? w : (w - left - right) / (n - 1);
  ctx.font = font(14, 600);
  // Labels wider than the gap between axes take turns on two rows.
  const stagger = model.axes.some((a) => ctx.measureText(a.label).width > spacing - 8);
  const top = stagger ? 52 : 34;
  const x = (k: number) => (n === 1 ? w / 2 : left + spacing * k);
  const y = (pos: number) => top + (1 - pos) * (h - top - bottom);
  // lines first (worst drawn first, so the best lie on top), then the axes over them
  const lines = [...model.lines].sort((p, q) => q.rank - p.rank);
  for (const line of lines) {
    const on = highlight === line.runId;
    ctx.strokeStyle = rankColour(line.rank);
    ctx.globalAlpha = highlight && !on ? 0.25 : 0.9;
    ctx.lineWidth = on ? 4 : 2;
    strokeLine(
      ctx,
      line.positions.map((p, k) => (p === null ? null : [x(k), y(p)])),
    );
  }
  ctx.globalAlpha = 1;
  model.axes.forEach((axis, k) => {
    const ax = x(k);
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(ax, y(1));
    ctx.lineTo(ax, y(0));
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.font = font(14, 600);
    ctx.textAlign = "center";
    // kept inside the canvas: the outer axes' labels are wider than their margins
    const half = ctx.measureText(axis.label).width / 2;
    const lx = Math.min(Math.max(ax, half + 2), w - half - 2);
    ctx.fillText(axis.label, lx, stagger && k % 2 === 1 ? 36 : 18);
    ctx.font = font(13);
    ctx.fillStyle = MUTED;
    for (const t of axis.ticks) {
      ctx.textAlign = k === n - 1 ? "left" : "right";
      ctx.fillText(t.text, ax + (k === n - 1 ? 6 : -6), y(t.pos) + 4);
      ctx.beginPath();
      ctx.moveTo(ax - 3, y(t.pos));
      ctx.lineTo(ax + 3, y(t.pos));
      ctx.stroke();
    }
  });
}

/** The padding of a histogram comparison and its x scale over the shared bin edges. */
function binAxis(edges: readonly number[], w: number) {
  const pad = { l: 4, r: 4, t: 4, b: 18 };
  const lo = edges[0] ?? 0;
  const hi = edges[edges.length - 1] ?? 1;
  const x = (v: number) => pad.l + ((v - lo) / (hi - lo || 1)) * (w - pad.l - pad.r);
  return { pad, lo, hi, x };
}

/** Every run's histogram of one quantity as a step outline over the shared bins. */
export function drawOverlay(canvas: HTMLCanvasElement, o: Overlay, w: number, h: number): void {
  const ctx = clearedContext(canvas, w, h);
  if (!ctx) return;
  const { pad, lo, hi, x } = binAxis(o.edges, w);
  const y = (s: number) => h - pad.b - (s / (o.maxShare || 1)) * (h - pad.t - pad.b);
  ctx.strokeStyle = GRID;
  ctx.beginPath();
  ctx.moveTo(pad.l, h - pad.b);
  ctx.lineTo(w - pad.r, h - pad.b);
  ctx.stroke();
  if (lo < 0 && hi > 0) {
    ctx.beginPath();
    ctx.moveTo(x(0), pad.t);
    ctx.lineTo(x(0), h - pad.b);
    ctx.stroke();
  }
  o.shares.forEach((shares, i) => {
    if (!shares) return;
    ctx.strokeStyle = runColour(i);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x(o.edges[0]!), y(0));
    shares.forEach((s, b) => {
      ctx.lineTo(x(o.edges[b]!), y(s));
      ctx.lineTo(x(o.edges[b + 1]!), y(s));
    });
    ctx.lineTo(x(o.edges[o.edges.length - 1]!), y(0));
    ctx.stroke();
  });
  ctx.fillStyle = MUTED;
  ctx.font = font(13);
  ctx.textAlign = "left";
  ctx.fillText(fmtNum(lo), pad.l, h - 3);
  ctx.textAlign = "right";
  ctx.fillText(fmtNum(hi), w - pad.r, h - 3);
}

/**
 * Each run's share per bin minus the reference run's, as bars up (more of its values there) or down
 * (fewer) from a zero line; the runs other than the reference side by side within each shared bin,
 * on a scale symmetric around zero (its extent written top left).
 */
export function drawDifferences(canvas: HTMLCanvasElement, d: Differences, w: number, h: number): void {
  const ctx = clearedContext(canvas, w, h);
  if (!ctx) return;
  const { pad, lo, hi, x } = binAxis(d.edges, w);
  const mid = pad.t + (h - pad.t - pad.b) / 2;
  const y = (v: number) => mid - (v / (d.maxAbs || 1)) * ((h - pad.t - pad.b) / 2);
  const shown = d.diffs.flatMap((diff, i) => (diff && i !== d.reference ? [{ diff, i }] : []));
  d.edges.slice(0, -1).forEach((edge, b) => {
    const x0 = x(edge);
    const slot = (x(d.edges[b + 1]!) - x0) / Math.max(1, shown.length);
    shown.forEach(({ diff, i }, k) => {
      const v = diff[b] ?? 0;
      if (v === 0) return;
      ctx.fillStyle = runColour(i);
      const top = Math.min(y(v), mid);
      // at least a pixel wide and tall, so a small difference is still seen
      ctx.fillRect(x0 + k * slot, top, Math.max(1, slot - 0.5), Math.max(1, Math.abs(y(v) - mid)));
    });
  });
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.l, mid);
  ctx.lineTo(w - pad.r, mid);
  ctx.stroke();
  // the scale's extent, on a backing so that bars reaching the top do not hide it
  ctx.font = font(12);
  ctx.textAlign = "left";
  const scale = `±${fmtPct(d.maxAbs)}`;
  ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
  ctx.fillRect(pad.l, pad.t, ctx.measureText(scale).width + 4, 14);
  ctx.fillStyle = MUTED;
  ctx.fillText(scale, pad.l + 2, pad.t + 11);
  ctx.font = font(13);
  ctx.fillText(fmtNum(lo), pad.l, h - 3);
  ctx.textAlign = "right";
  ctx.fillText(fmtNum(hi), w - pad.r, h - 3);
}

/** log10 RMS δ per layer (input side left), one line per run. */
export function drawFlow(
  canvas: HTMLCanvasElement,
  layers: readonly string[],
  lines: readonly { runIndex: number; rms: (number | null)[] }[],
  w: number,
  h: number,
): void {
  const ctx = clearedContext(canvas, w, h);
  if (!ctx) return;
  const logs = lines.flatMap((l) => l.rms.filter((v): v is number => v !== null && v > 0).map(Math.log10));
  if (!logs.length || !layers.length) return;
  let lo = Math.floor(Math.min(...logs));
  let hi = Math.ceil(Math.max(...logs));
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const pad = { l: 52, r: 16, t: 10, b: 26 };
  const x = (k: number) =>
    layers.length === 1 ? w / 2 : pad.l + ((w - pad.l - pad.r) * k) / (layers.length - 1);
  const y = (v: number) => pad.t + ((hi - v) / (hi - lo)) * (h - pad.t - pad.b);
  ctx.font = font(13);
  ctx.fillStyle = MUTED;
  ctx.strokeStyle = GRID;
  for (let e = lo; e <= hi; e++) {
    ctx.beginPath();
    ctx.moveTo(pad.l, y(e));
    ctx.lineTo(w - pad.r, y(e));
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.fillText(`1e${e}`, pad.l - 6, y(e) + 4);
  }
  ctx.textAlign = "center";
  layers.forEach((id, k) => ctx.fillText(id, x(k), h - 6));
  for (const line of lines) {
    ctx.strokeStyle = runColour(line.runIndex);
    ctx.fillStyle = runColour(line.runIndex);
    ctx.lineWidth = 2;
    strokeLine(
      ctx,
      line.rms.map((v, k) => (v === null || !(v > 0) ? null : [x(k), y(Math.log10(v))])),
    );
    line.rms.forEach((v, k) => {
      if (v === null || !(v > 0)) return;
      ctx.beginPath();
      ctx.arc(x(k), y(Math.log10(v)), 3.5, 0, Math.PI * 2);
      ctx.fill();
    });
  }
}
