/**
 * Decision boundary: the network's output over a grid of the 2-D input plane as a heat-map (orange =
 * class 0 / negative, blue = class 1 / positive, light at the 0.5 threshold), with the data points on
 * top — training points filled, test points as outlined rings — and the 0.5 contour implied by colour.
 */
import { CanvasChart, font, drawNote } from "./canvas";
import { GridImage, symmetricScale } from "./gridImage";
import { CATEGORICAL, categoricalLut, divergingLut, NEG_CSS, POS_CSS } from "./palette";
import { niceTicks } from "./histAxis";
import { fmtNum } from "./format";

export interface PlotPoint {
  x: number;
  y: number;
  label: number;
  split: "train" | "test";
}

export interface FlatGrid {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
}

export interface BoundaryData {
  /** row-major, row 0 at yRange[0] */
  grid: FlatGrid | null;
  xRange: [number, number];
  yRange: [number, number];
  points: readonly PlotPoint[];
  /** grid holds probabilities in [0, 1] (threshold 0.5); otherwise a symmetric scale around 0 */
  probability: boolean;
  /** number of classes; > 2 means the grid holds class indices (categorical colours) */
  classes: number;
  /** the grid holds the class each cell decides ("discretize output"): drawn crisp, not smoothed */
  discrete?: boolean;
}

// The background is paler than the points so a correctly classified point still stands out.
const LUT = divergingLut(undefined, 0.6);

export function pointColour(label: number, classes: number, probability: boolean): string {
  if (classes <= 2) return (probability ? label >= 0.5 : label > 0) ? POS_CSS : NEG_CSS;
  return CATEGORICAL[Math.max(0, Math.round(label)) % CATEGORICAL.length];
}

export class BoundaryPlot extends CanvasChart {
  private readonly image = new GridImage();

  update(
    d: BoundaryData | null,
    opts: { axes?: boolean; pointRadius?: number; showTest?: boolean } = {},
  ): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const axes = opts.axes ?? true;
    ctx.clearRect(0, 0, this.w, this.h);
    const padL = axes ? 52 : 0;
    const padB = axes ? 30 : 0;
    const side = Math.max(10, Math.min(this.w - padL - (axes ? 8 : 0), this.h - padB - (axes ? 8 : 0)));
    const x0 = padL;
    const y0 = axes ? 6 : 0;
    if (!d) {
      drawNote(ctx, "No decision boundary in this frame (2-D inputs only).", 12, 28, 16);
      return;
    }
    const [xl, xh] = d.xRange;
    const [yl, yh] = d.yRange;
    const toX = (x: number) => x0 + ((x - xl) / (xh - xl)) * side;
    const toY = (y: number) => y0 + side - ((y - yl) / (yh - yl)) * side;

    if (d.grid && d.grid.rows > 0) {
      const g = d.grid;
      const scale =
        d.classes > 2
          ? { lut: this.classLut(d.classes), lo: -0.5, hi: d.classes - 0.5 }
          : d.probability
            ? { lut: LUT, lo: 0, hi: 1 }
            : { lut: LUT, ...symmetricScale(g.values) };
      this.image.set(g.values, g.rows, g.cols, scale, true);
      // Class regions stay crisp; probabilities are smoothed like a contour plot.
      this.image.draw(ctx, x0, y0, side, side, d.classes <= 2 && !d.discrete);
    } else {
      ctx.fillStyle = "#f3f3f3";
      ctx.fillRect(x0, y0, side, side);
    }
    ctx.strokeStyle = "#888";
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, side - 1, side - 1);

    const r = opts.pointRadius ?? Math.max(2.5, Math.min(5, side / 110));
    const showTest = opts.showTest ?? true;
    // Train first, test on top: a test point must stay visible even where training points crowd.
    for (const split of ["train", "test"] as const) {
      if (split === "test" && !showTest) continue;
      for (const p of d.points) {
        if (p.split !== split) continue;
        const px = toX(p.x);
        const py = toY(p.y);
        if (px < x0 || px > x0 + side || py < y0 || py > y0 + side) continue;
        const colour = pointColour(p.label, d.classes, d.probability);
        ctx.beginPath();
        ctx.arc(px, py, split === "train" ? r : r + 0.8, 0, Math.PI * 2);
        if (split === "train") {
          ctx.fillStyle = colour;
          ctx.fill();
          ctx.strokeStyle = "#1a1a1a";
          ctx.lineWidth = 1;
          ctx.stroke();
        } else {
          ctx.fillStyle = "#fff";
          ctx.fill();
          ctx.strokeStyle = colour;
          ctx.lineWidth = 2.5;
          ctx.stroke();
          ctx.beginPath();
          ctx.arc(px, py, r + 2.1, 0, Math.PI * 2);
          ctx.strokeStyle = "#1a1a1a";
          ctx.lineWidth = 0.8;
          ctx.stroke();
        }
      }
    }

    if (!axes) return;
    ctx.fillStyle = "#333";
    ctx.font = font(13);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of niceTicks(xl, xh, 5)) ctx.fillText(fmtNum(t, 2), toX(t), y0 + side + 6);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of niceTicks(yl, yh, 5)) ctx.fillText(fmtNum(t, 2), x0 - 6, toY(t));
  }

  private lut: { k: number; lut: Uint8ClampedArray } | null = null;

  private classLut(k: number): Uint8ClampedArray {
    if (!this.lut || this.lut.k !== k) this.lut = { k, lut: categoricalLut(k) };
    return this.lut.lut;
  }

  /** Right edge (CSS px) of the square plot drawn for the current size, with axes. */
  get plotRight(): number {
    return 52 + Math.max(10, Math.min(this.w - 60, this.h - 38));
  }

  get context(): CanvasRenderingContext2D | null {
    return this.canvas.getContext("2d");
  }
}
