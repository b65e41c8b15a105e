/**
 * A grid of numbers (flat, row-major) turned into pixels once per update and blitted scaled wherever it
 * is needed. The small offscreen canvas and its ImageData are reused while the grid size stays the same,
 * so an update costs one pass over the values and no allocation.
 */
import { LUT_SIZE } from "./palette";

export interface ColourScale {
  lut: Uint8ClampedArray;
  lo: number;
  hi: number;
}

/** Symmetric scale [−m, m] over the largest |value| of values[offset … offset+n) (diverging data). */
export function symmetricScale(
  values: ArrayLike<number>,
  offset = 0,
  n = values.length - offset,
): { lo: number; hi: number } {
  let m = 0;
  for (let i = offset; i < offset + n; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m > 0 ? { lo: -m, hi: m } : { lo: -1, hi: 1 };
}

/** [min, max] of the finite values in values[offset … offset+n); a flat range is widened by ±0.5. */
export function extent(
  values: ArrayLike<number>,
  offset = 0,
  n = values.length - offset,
): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = offset; i < offset + n; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return { lo: 0, hi: 1 };
  return hi > lo ? { lo, hi } : { lo: lo - 0.5, hi: hi + 0.5 };
}

/** Row-major copy of a nested grid (grid[row][col]); tolerant of typed-array rows. */
export function flattenGrid(grid: ArrayLike<ArrayLike<number>>): {
  values: Float64Array;
  rows: number;
  cols: number;
} {
  const rows = grid.length;
  const cols = rows ? grid[0].length : 0;
  const values = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = grid[r][c];
  return { values, rows, cols };
}

export class GridImage {
  private canvas: HTMLCanvasElement | null = null;
  private image: ImageData | null = null;
  rows = 0;
  cols = 0;

  /**
   * Paint values[offset + r·cols + c] through the colour scale. With `flipY`, row 0 is drawn at the
   * bottom (grids sampled with y increasing, as the decision-boundary grid is).
   */
  set(
    values: ArrayLike<number>,
    rows: number,
    cols: number,
    scale: ColourScale,
    flipY = false,
    offset = 0,
  ): void {
    if (rows <= 0 || cols <= 0 || values.length < offset + rows * cols) {
      this.rows = this.cols = 0;
      return;
    }
    if (!this.canvas) this.canvas = document.createElement("canvas");
    if (!this.image || this.rows !== rows || this.cols !== cols) {
      this.canvas.width = cols;
      this.canvas.height = rows;
      const ctx = this.canvas.getContext("2d");
      if (!ctx) return;
      this.image = ctx.createImageData(cols, rows);
      this.rows = rows;
      this.cols = cols;
    }
    const px = this.image.data;
    const { lut, lo, hi } = scale;
    const k = hi > lo ? (LUT_SIZE - 1) / (hi - lo) : 0;
    for (let r = 0; r < rows; r++) {
      const y = flipY ? rows - 1 - r : r;
      let o = y * cols * 4;
      const base = offset + r * cols;
      for (let c = 0; c < cols; c++, o += 4) {
        const v = values[base + c];
        let i = Number.isFinite(v) ? Math.round((v - lo) * k) : LUT_SIZE >> 1;
        if (i < 0) i = 0;
        else if (i >= LUT_SIZE) i = LUT_SIZE - 1;
        const j = i * 4;
        px[o] = lut[j];
        px[o + 1] = lut[j + 1];
        px[o + 2] = lut[j + 2];
        px[o + 3] = 255;
      }
    }
    this.canvas.getContext("2d")?.putImageData(this.image, 0, 0);
  }

  /** Blit into a rectangle; `smooth` interpolates (decision regions), otherwise crisp cells (pixels, maps). */
  draw(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, smooth = false): void {
    if (!this.canvas || this.rows === 0) return;
    const prev = ctx.imageSmoothingEnabled;
    ctx.imageSmoothingEnabled = smooth;
    ctx.drawImage(this.canvas, x, y, w, h);
    ctx.imageSmoothingEnabled = prev;
  }
}
