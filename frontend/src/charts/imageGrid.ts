/**
 * A set of equally sized small images (filters, feature maps) laid out in a grid inside a rectangle,
 * each drawn from a slice of one flat array. GridImages are kept per slot and reused between updates.
 */
import { font, type Rect } from "./canvas";
import { GridImage, type ColourScale } from "./gridImage";

export interface TileLayout {
  tiles: Rect[];
  /** side of one tile in CSS pixels */
  tile: number;
}

/** Largest square tiles of aspect rows:cols that fit n images in `r` with `gap` between (and a label line). */
export function layoutTiles(r: Rect, n: number, rows: number, cols: number, gap = 6, labelH = 0): TileLayout {
  if (n <= 0 || r.w <= 0 || r.h <= 0) return { tiles: [], tile: 0 };
  const aspect = rows / Math.max(1, cols);
  let best = { perRow: 1, w: 0 };
  for (let perRow = 1; perRow <= n; perRow++) {
    const nRows = Math.ceil(n / perRow);
    const w = Math.min((r.w - gap * (perRow - 1)) / perRow, (r.h - (gap + labelH) * nRows) / nRows / aspect);
    if (w > best.w) best = { perRow, w };
  }
  const w = Math.max(1, Math.floor(best.w));
  const h = Math.max(1, Math.floor(w * aspect));
  const tiles: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const cx = i % best.perRow;
    const cy = Math.floor(i / best.perRow);
    tiles.push({ x: r.x + cx * (w + gap), y: r.y + cy * (h + gap + labelH) + labelH, w, h });
  }
  return { tiles, tile: w };
}

export class ImageGrid {
  private images: GridImage[] = [];
  layout: TileLayout = { tiles: [], tile: 0 };
  rows = 0;
  cols = 0;

  /**
   * Draw n tiles; tile i shows values[i·rows·cols …] through scale(i). `labels` go above each tile.
   */
  draw(
    ctx: CanvasRenderingContext2D,
    rect: Rect,
    values: ArrayLike<number>,
    n: number,
    rows: number,
    cols: number,
    scale: (i: number) => ColourScale,
    labels?: (i: number) => string,
    selected?: number | null,
  ): void {
    this.rows = rows;
    this.cols = cols;
    const labelH = labels ? 16 : 0;
    this.layout = layoutTiles(rect, n, rows, cols, 6, labelH);
    while (this.images.length < n) this.images.push(new GridImage());
    const size = rows * cols;
    for (let i = 0; i < n; i++) {
      const t = this.layout.tiles[i];
      const img = this.images[i];
      img.set(values, rows, cols, scale(i), false, i * size);
      img.draw(ctx, t.x, t.y, t.w, t.h, false);
      ctx.strokeStyle = selected === i ? "#D55E00" : "#bbb";
      ctx.lineWidth = selected === i ? 3 : 1;
      ctx.strokeRect(t.x - 0.5, t.y - 0.5, t.w + 1, t.h + 1);
      if (labels) {
        ctx.fillStyle = "#333";
        ctx.font = font(12);
        ctx.textAlign = "left";
        ctx.textBaseline = "bottom";
        ctx.fillText(labels(i), t.x, t.y - 2, t.w);
      }
    }
  }

  /** Tile index and cell (row, col) under a point, or null. */
  hit(x: number, y: number): { index: number; row: number; col: number } | null {
    const tiles = this.layout.tiles;
    for (let i = 0; i < tiles.length; i++) {
      const t = tiles[i];
      if (x >= t.x && y >= t.y && x < t.x + t.w && y < t.y + t.h) {
        return {
          index: i,
          row: Math.min(this.rows - 1, Math.floor(((y - t.y) / t.h) * this.rows)),
          col: Math.min(this.cols - 1, Math.floor(((x - t.x) / t.w) * this.cols)),
        };
      }
    }
    return null;
  }
}
