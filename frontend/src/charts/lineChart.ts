/**
 * A thin wrapper around uPlot for live line charts (loss/accuracy, gradient flow). The caller owns the
 * data (ring buffers) and hands over columns; the chart is rebuilt only when the set of series changes,
 * otherwise `setData` just redraws. Vertical markers (e.g. the early-stopping step) are drawn in a hook.
 */
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { FONT } from "./canvas";
import { STEP_INCRS, stepSplits, stepTickLabels } from "./stepAxis";

type UPlotCtor = typeof uPlot;
let uplotModule: Promise<UPlotCtor> | null = null;

/** uPlot is loaded on first use: it probes matchMedia at import time, which non-browser hosts lack. */
function loadUPlot(): Promise<UPlotCtor> {
  uplotModule ??= import("uplot").then((m) => m.default);
  return uplotModule;
}

export interface LineSeries {
  label: string;
  stroke: string;
  dash?: number[];
  width?: number;
  /** y scale key: "y" (default) or "y2" (right axis) */
  scale?: "y" | "y2";
}

export interface Marker {
  x: number;
  label: string;
  colour: string;
}

export interface LineChartOptions {
  yLabel: string;
  xLabel?: string;
  yLog?: boolean;
  /** optional right axis (e.g. accuracy 0–1) */
  y2Label?: string;
  y2Range?: [number, number];
  markers?: () => readonly Marker[];
}

type Cols = (number | null)[][];

export class LineChart {
  private plot: uPlot | null = null;
  private seriesKey = "";
  private width = 400;
  private height = 240;
  private series: readonly LineSeries[] = [];
  private clean: Cols = [];
  private UPlot: UPlotCtor | null = null;
  private pending: { series: readonly LineSeries[]; cols: Cols } | null = null;
  private boxH = 0;
  private destroyed = false;

  constructor(
    private readonly el: HTMLElement,
    private readonly opts: LineChartOptions,
  ) {}

  private build(series: readonly LineSeries[], data: Cols): void {
    const UPlot = this.UPlot;
    if (!UPlot) return;
    this.plot?.destroy();
    const axisFont = `14px ${FONT}`;
    const labelFont = `600 15px ${FONT}`;
    const hasY2 = series.some((s) => s.scale === "y2");
    const axes: uPlot.Axis[] = [
      {
        label: this.opts.xLabel ?? "step",
        font: axisFont,
        labelFont,
        labelSize: 22,
        size: 40,
        // x is a step or epoch count: whole-number spacings and ticks only.
        incrs: [...STEP_INCRS],
        splits: (_u, _i, min, max, incr) => stepSplits(min, max, incr),
        values: (_u, splits) => stepTickLabels(splits),
      },
      {
        label: this.opts.yLabel,
        font: axisFont,
        labelFont,
        labelSize: 22,
        size: 64,
        scale: "y",
        values: this.opts.yLog ? (_u, splits) => splits.map((v) => fmtLogTick(v)) : undefined,
      },
    ];
    if (hasY2) {
      axes.push({
        label: this.opts.y2Label ?? "",
        font: axisFont,
        labelFont,
        labelSize: 22,
        size: 52,
        scale: "y2",
        side: 1,
        grid: { show: false },
      });
    }
    const markers = this.opts.markers;
    const options: uPlot.Options = {
      width: this.width,
      height: this.height,
      pxAlign: 0,
      scales: {
        x: { time: false },
        y: this.opts.yLog ? { distr: 3, log: 10 } : {},
        ...(hasY2 ? { y2: { range: this.opts.y2Range ?? [0, 1] } } : {}),
      },
      legend: { show: true, live: false },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      axes,
      series: [
        { label: this.opts.xLabel ?? "step" },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: s.width ?? 2,
          dash: s.dash,
          scale: s.scale ?? "y",
          spanGaps: true,
          points: { show: false },
        })),
      ],
      hooks: markers
        ? {
            draw: [
              (u: uPlot) => {
                const ctx = u.ctx;
                const { top, height } = u.bbox;
                // bbox and ctx are in canvas pixels: scale marker styling by the device ratio.
                const px = UPlot.pxRatio || 1;
                ctx.save();
                for (const m of markers()) {
                  const x = u.valToPos(m.x, "x", true);
                  if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
                  ctx.strokeStyle = m.colour;
                  ctx.lineWidth = 2 * px;
                  ctx.setLineDash([6 * px, 4 * px]);
                  ctx.beginPath();
                  ctx.moveTo(x, top);
                  ctx.lineTo(x, top + height);
                  ctx.stroke();
                  ctx.setLineDash([]);
                  ctx.fillStyle = m.colour;
                  ctx.font = `600 ${13 * px}px ${FONT}`;
                  // The label goes on whichever side of the line has room for it.
                  const right = u.bbox.left + u.bbox.width;
                  const fits = x + 4 * px + ctx.measureText(m.label).width <= right;
                  ctx.textAlign = fits ? "left" : "right";
                  ctx.fillText(m.label, fits ? x + 4 * px : x - 4 * px, top + 16 * px);
                }
                ctx.restore();
              },
            ],
          }
        : undefined,
    };
    this.plot = new UPlot(options, data as uPlot.AlignedData, this.el);
    if (this.boxH > 0) this.resize(this.width, this.boxH);
  }

  /** Columns [x, y1, y2, …] aligned with `series`. Non-positive values are dropped on a log axis. */
  update(series: readonly LineSeries[], cols: Cols): void {
    if (!this.UPlot) {
      // Keep only the newest data until uPlot has loaded; then draw it once.
      if (!this.pending) {
        void loadUPlot().then((U) => {
          if (this.destroyed) return;
          this.UPlot = U;
          const p = this.pending;
          this.pending = null;
          if (p) this.update(p.series, p.cols);
        });
      }
      this.pending = { series, cols };
      return;
    }
    const key = series
      .map((s) => `${s.label}|${s.stroke}|${s.dash?.join(",") ?? ""}|${s.scale ?? "y"}`)
      .join(";");
    const data = this.opts.yLog ? this.sanitise(cols, series) : cols;
    if (!this.plot || key !== this.seriesKey) {
      this.seriesKey = key;
      this.series = series;
      this.build(series, data);
      return;
    }
    this.plot.setData(data as uPlot.AlignedData);
  }

  private sanitise(cols: Cols, series: readonly LineSeries[]): Cols {
    if (this.clean.length !== cols.length) this.clean = cols.map(() => []);
    for (let s = 0; s < cols.length; s++) {
      const src = cols[s];
      const dst = this.clean[s];
      dst.length = src.length;
      const logScale = s > 0 && (series[s - 1]?.scale ?? "y") === "y";
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        dst[i] = logScale && (v === null || !(v > 0)) ? null : v;
      }
    }
    return this.clean;
  }

  /**
   * Fit the chart (plot + axes + legend) into a box of the given size. The legend's height depends on
   * how many series wrap onto how many lines, so it is measured, not guessed.
   */
  resize(width: number, height: number): void {
    const legend = this.plot?.root.querySelector<HTMLElement>(".u-legend");
    const legendH = legend ? legend.offsetHeight + 6 : 40;
    this.boxH = height;
    this.width = Math.max(200, Math.floor(width));
    this.height = Math.max(100, Math.floor(height - legendH));
    if (this.plot && (this.plot.width !== this.width || this.plot.height !== this.height)) {
      this.plot.setSize({ width: this.width, height: this.height });
    }
  }

  /** Redraw without new data (e.g. markers changed). */
  redraw(): void {
    this.plot?.redraw();
  }

  get seriesList(): readonly LineSeries[] {
    return this.series;
  }

  destroy(): void {
    this.destroyed = true;
    this.plot?.destroy();
    this.plot = null;
    this.seriesKey = "";
  }
}

function fmtLogTick(v: number): string {
  if (!(v > 0)) return "";
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) > 1e-6) return "";
  const n = Math.round(e);
  if (n >= -2 && n <= 3) return String(Number(v.toPrecision(1)));
  return `1e${n}`;
}
