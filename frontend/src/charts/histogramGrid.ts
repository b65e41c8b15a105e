/**
 * Small multiples of histograms on one canvas: rows = quantities (W, z, a, δ, ∂L/∂W), columns = layers.
 * This is the four-panel figure of the weight-initialisation lecture, drawn live. Linear mode plots the
 * frame's `hist` over [lo, hi]; log mode plots `loghist` (log10|x|, fixed edges) plus a separate bar for
 * exact zeros. Axes are shared along a row (collapse with depth is visible) or per panel (shape readable).
 * Display bins are preallocated per cell and reused, so an update allocates nothing in steady state.
 */
import { CanvasChart, font, type Rect, drawNote } from "./canvas";
import {
  histRange,
  occupiedLogRange,
  padRange,
  rebin,
  niceTicks,
  type AxisMode,
  type HistLike,
  type LogHistLike,
  type Range,
  type ScaleMode,
} from "./histAxis";
import { fmtNum, superscript } from "./format";

export type ZoneKind = "saturated" | "dead";

/** A range of z the grid shades: where units saturate or die. */
export interface Zone {
  /** inclusive lower bound of z (may be -Infinity) */
  from: number;
  /** upper bound of z (may be +Infinity) */
  to: number;
  kind: ZoneKind;
}

export interface HistRow {
  key: string;
  label: string;
  colour: string;
}

export interface HistCol {
  id: string;
  label: string;
  sublabel?: string;
}

export interface HistCell {
  hist: HistLike | LogHistLike | null;
  /** one-line summary drawn in the panel's corner, e.g. "σ 0.014" */
  stat?: string;
  /** second line, e.g. "sat 12 %" (drawn in the warning colour when `alert`) */
  note?: string;
  alert?: boolean;
  /** zones of the x axis to shade (z row: saturation / dead zones), in data units of linear mode */
  zones?: readonly Zone[];
}

export interface HistGridModel {
  rows: readonly HistRow[];
  cols: readonly HistCol[];
  /** cells[row][col] */
  cells: readonly (readonly (HistCell | null)[])[];
  scale: ScaleMode;
  axis: AxisMode;
}

const LEFT = 64;
const TOP = 46;
const GAP = 8;
const AXIS_H = 20;
const MAX_BINS = 60;

export class HistogramGrid extends CanvasChart {
  private bins: Float64Array[][] = [];
  /** panel rectangles of the last draw, for hit-testing */
  panels: { rect: Rect; row: number; col: number }[] = [];

  reset(): void {
    const ctx = this.canvas.getContext("2d");
    ctx?.clearRect(0, 0, this.w, this.h);
    this.panels = [];
  }

  private binsFor(r: number, c: number, n: number): Float64Array {
    const row = (this.bins[r] ??= []);
    let b = row[c];
    if (!b || b.length !== n) {
      b = new Float64Array(n);
      row[c] = b;
    }
    return b;
  }

  update(model: HistGridModel): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const W = this.w;
    const H = this.h;
    ctx.clearRect(0, 0, W, H);
    const nR = model.rows.length;
    const nC = model.cols.length;
    this.panels = [];
    if (nR === 0 || nC === 0) {
      drawNote(ctx, "Waiting for telemetry…", 16, 32, 18, { colour: "#555" });
      return;
    }
    const cellW = (W - LEFT) / nC;
    const cellH = (H - TOP) / nR;
    const nBins = Math.max(8, Math.min(MAX_BINS, Math.floor((cellW - GAP) / 3)));

    // Column headers: layer id + activation.
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    for (let c = 0; c < nC; c++) {
      const cx = LEFT + c * cellW + cellW / 2;
      ctx.fillStyle = "#111";
      ctx.font = font(17, 700);
      ctx.fillText(model.cols[c].label, cx, 20, cellW - 4);
      if (model.cols[c].sublabel) {
        ctx.fillStyle = "#555";
        ctx.font = font(13);
        ctx.fillText(model.cols[c].sublabel ?? "", cx, 38, cellW - 4);
      }
    }

    for (let r = 0; r < nR; r++) {
      const row = model.rows[r];
      const y0 = TOP + r * cellH;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillStyle = row.colour;
      ctx.font = font(22, 700);
      ctx.fillText(row.label, LEFT / 2, y0 + cellH / 2, LEFT - 6);

      const cells = model.cells[r] ?? [];
      const ranges = this.rowRanges(cells, model);
      for (let c = 0; c < nC; c++) {
        const rect: Rect = { x: LEFT + c * cellW + GAP / 2, y: y0 + GAP / 2, w: cellW - GAP, h: cellH - GAP };
        this.panels.push({ rect, row: r, col: c });
        this.drawPanel(ctx, rect, cells[c] ?? null, ranges[c], model.scale, row.colour, r, c, nBins);
      }
    }
  }

  private rowRanges(cells: readonly (HistCell | null)[], model: HistGridModel): (Range | null)[] {
    const hists = cells.map((c) => c?.hist ?? null);
    if (model.scale === "log") {
      if (model.axis === "shared") {
        const r = occupiedLogRange(hists);
        return hists.map((h) => (h ? r : null));
      }
      return hists.map((h) => (h ? occupiedLogRange([h]) : null));
    }
    if (model.axis === "shared") {
      let lo = Infinity;
      let hi = -Infinity;
      for (const h of hists) {
        const r = histRange(h);
        if (r) {
          lo = Math.min(lo, r.lo);
          hi = Math.max(hi, r.hi);
        }
      }
      const u = lo <= hi ? padRange({ lo, hi }) : null;
      return hists.map((h) => (histRange(h) ? u : null));
    }
    return hists.map((h) => {
      const r = histRange(h);
      return r ? padRange(r) : null;
    });
  }

  private drawPanel(
    ctx: CanvasRenderingContext2D,
    rect: Rect,
    cell: HistCell | null,
    range: Range | null,
    scale: ScaleMode,
    colour: string,
    r: number,
    c: number,
    nBins: number,
  ): void {
    ctx.fillStyle = "#fafafa";
    ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
    ctx.strokeStyle = "#ddd";
    ctx.lineWidth = 1;
    ctx.strokeRect(rect.x + 0.5, rect.y + 0.5, rect.w - 1, rect.h - 1);
    const hist = cell?.hist;
    if (!cell || !hist || !range) {
      ctx.fillStyle = "#999";
      ctx.font = font(13);
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("—", rect.x + rect.w / 2, rect.y + rect.h / 2);
      return;
    }
    const zerosW = scale === "log" ? Math.max(10, Math.min(18, rect.w * 0.1)) : 0;
    // A text band on top keeps the summary readable above tall bars.
    // The note (e.g. "12 % saturated") needs a second text line; a short cell keeps the bars.
    const showNote = Boolean(cell.note) && rect.h - 6 - 31 - AXIS_H >= 24;
    const textH = showNote ? 31 : cell.stat || cell.note ? 17 : 0;
    const plot: Rect = {
      x: rect.x + 4 + zerosW,
      y: rect.y + 3 + textH,
      w: rect.w - 8 - zerosW,
      h: rect.h - 6 - textH - AXIS_H,
    };
    if (plot.w < 4 || plot.h < 4) return;
    const toX = (v: number) => plot.x + ((v - range.lo) / (range.hi - range.lo)) * plot.w;

    // Zones behind the bars (linear: as given; log: |z| > t ⇔ log10|z| > log10 t for symmetric tails).
    if (cell.zones && cell.zones.length > 0) {
      for (const z of cell.zones) {
        let from = z.from;
        let to = z.to;
        if (scale === "log") {
          if (!(z.from > 0)) continue;
          from = Math.log10(z.from);
          to = Number.isFinite(z.to) ? Math.log10(z.to) : Infinity;
        }
        const a = Math.max(range.lo, from);
        const b = Math.min(range.hi, to);
        if (!(b > a)) continue;
        ctx.fillStyle = z.kind === "dead" ? "rgba(120,120,120,0.22)" : "rgba(213,94,0,0.16)";
        ctx.fillRect(toX(a), plot.y, toX(b) - toX(a), plot.h);
      }
    }

    const bins = this.binsFor(r, c, nBins);
    const max = rebin(hist.counts, hist.lo, hist.hi, range.lo, range.hi, bins);
    const zeros = scale === "log" ? ((hist as LogHistLike).zeros ?? 0) : 0;
    const yMax = Math.max(max, zeros);
    const bw = plot.w / nBins;
    ctx.fillStyle = colour;
    if (yMax > 0) {
      for (let i = 0; i < nBins; i++) {
        const v = bins[i];
        if (v <= 0) continue;
        // A floor of 1.5 px keeps rare values visible next to a tall peak.
        const h = Math.max(1.5, (v / yMax) * plot.h);
        ctx.fillRect(plot.x + i * bw, plot.y + plot.h - h, Math.max(1, bw - 0.5), h);
      }
      if (zeros > 0) {
        const h = Math.max(1.5, (zeros / yMax) * plot.h);
        ctx.fillStyle = "#777";
        ctx.fillRect(rect.x + 4, plot.y + plot.h - h, zerosW - 3, h);
      }
    }

    // x axis ticks
    ctx.fillStyle = "#444";
    ctx.font = font(12);
    ctx.textBaseline = "top";
    ctx.textAlign = "center";
    const ticks = niceTicks(range.lo, range.hi, Math.max(2, Math.floor(plot.w / 42)));
    const yAxis = plot.y + plot.h;
    ctx.strokeStyle = "#999";
    ctx.beginPath();
    ctx.moveTo(plot.x, yAxis + 0.5);
    ctx.lineTo(plot.x + plot.w, yAxis + 0.5);
    ctx.stroke();
    // Labels are kept inside the panel and never overlap each other (or the "0" of the zeros bar).
    let lastRight = scale === "log" ? rect.x + zerosW + 2 : -Infinity;
    const maxRight = rect.x + rect.w - 2;
    for (const t of ticks) {
      const x = toX(t);
      ctx.fillRect(x - 0.5, yAxis, 1, 3);
      const label = scale === "log" ? (Number.isInteger(t) ? `10${superscript(t)}` : "") : fmtNum(t, 2);
      if (!label) continue;
      const half = ctx.measureText(label).width / 2;
      const cx = Math.min(Math.max(x, rect.x + 2 + half), maxRight - half);
      if (cx - half < lastRight + 4) continue;
      ctx.fillText(label, cx, yAxis + 6);
      lastRight = cx + half;
    }
    if (scale === "log") {
      ctx.fillText("0", rect.x + 4 + (zerosW - 3) / 2, yAxis + 6);
    }

    // Corner summary
    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    if (cell.stat) {
      ctx.fillStyle = "#222";
      ctx.font = font(13, 600);
      ctx.fillText(cell.stat, rect.x + rect.w - 5, rect.y + 3, rect.w - 10);
    }
    if (cell.note && showNote) {
      ctx.fillStyle = cell.alert ? "#b34700" : "#555";
      ctx.font = font(12, cell.alert ? 700 : 400);
      ctx.fillText(cell.note, rect.x + rect.w - 5, rect.y + 18, rect.w - 10);
    }
  }

  /** The (row, col) of the panel under a point in CSS pixels, or null. */
  hit(x: number, y: number): { row: number; col: number } | null {
    for (const p of this.panels) {
      const r = p.rect;
      if (x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h) return { row: p.row, col: p.col };
    }
    return null;
  }
}
