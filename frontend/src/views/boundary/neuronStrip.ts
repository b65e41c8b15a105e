/**
 * Every hidden neuron's own activation over the input plane, one row of thumbnails per layer, beside
 * the decision boundary (as TensorFlow Playground shows them): how the first layer cuts the plane with
 * lines and later layers combine them into curved regions.
 */
import { font, type Rect } from "../../charts/canvas";
import { GridImage } from "../../charts/gridImage";
import { divergingLut } from "../../charts/palette";
import type { BoundaryLike, LayerLike } from "../logic/frame";
import { activationRange } from "../network/layout";
import { asGrid } from "./points";

const LUT = divergingLut(undefined, 0.85);

export class NeuronStrip {
  private images = new Map<string, GridImage>();

  draw(
    ctx: CanvasRenderingContext2D,
    r: Rect,
    b: BoundaryLike | null | undefined,
    layers: readonly LayerLike[],
  ): void {
    const neurons = b?.neurons;
    if (!neurons || r.w < 80 || r.h < 40) return;
    const rows = layers.filter((l) => (neurons[l.id]?.length ?? 0) > 0);
    if (rows.length === 0) return;
    const labelW = 44;
    const gap = 4;
    const rowH = Math.min(90, (r.h - 20) / rows.length);
    ctx.fillStyle = "#111";
    ctx.font = font(14, 700);
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.fillText("each hidden neuron over the plane", r.x, r.y + 14);
    rows.forEach((l, i) => {
      const maps = neurons[l.id] ?? [];
      const y = r.y + 22 + i * rowH;
      const side = Math.max(8, Math.min(rowH - gap, (r.w - labelW) / maps.length - gap));
      ctx.fillStyle = "#222";
      ctx.font = font(13, 600);
      ctx.textBaseline = "middle";
      ctx.fillText(l.id, r.x, y + side / 2, labelW - 4);
      for (let u = 0; u < maps.length; u++) {
        const g = asGrid(maps[u], b?.neuron_resolution);
        if (!g) continue;
        const key = `${l.id}/${u}`;
        let img = this.images.get(key);
        if (!img) {
          img = new GridImage();
          this.images.set(key, img);
        }
        img.set(g.values, g.rows, g.cols, { lut: LUT, ...activationRange(l.activation, g.values) }, true);
        const x = r.x + labelW + u * (side + gap);
        if (x + side > r.x + r.w) break;
        img.draw(ctx, x, y, side, side, true);
        ctx.strokeStyle = "#888";
        ctx.lineWidth = 1;
        ctx.strokeRect(x - 0.5, y - 0.5, side + 1, side + 1);
      }
    });
  }
}
