/**
 * A read-only network diagram drawn from the frame: one column per layer; for 2-D data every hidden
 * neuron shows its own activation over the input plane (as in TensorFlow Playground) and the output
 * node the network's decision map; otherwise nodes are coloured by the layer's mean activation.
 * Edge bundles between columns are thickened by the layer's RMS weight (the frame carries per-layer
 * summaries, not every weight; `edgeStyle` colours single edges by sign where weights are known).
 */
import { memo, useRef } from "react";
import { fitCanvas, font } from "../../charts/canvas";
import { GridImage } from "../../charts/gridImage";
import { divergingLut } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import { activationName, finite, type BoundaryLike, type FrameLike, type LayerLike } from "../logic/frame";
import { edgeStyle, nodeFill } from "../logic/edgeStyle";
import { fmtNum } from "../logic/format";
import { weightedLayers } from "../logic/warnings";
import { asGrid, isProbability, outputGrid } from "../boundary/points";
import { useElementSize, useLiveDraw } from "../useLiveDraw";
import { TimelineBar } from "../TimelineBar";
import { FullscreenButton } from "../FullscreenButton";
import { activationRange, diagramLayout } from "./layout";

const LUT = divergingLut();

class NetworkPainter {
  private images = new Map<string, GridImage>();
  private edges: HTMLCanvasElement | null = null;
  private edgeKey = "";

  private image(key: string): GridImage {
    let g = this.images.get(key);
    if (!g) {
      g = new GridImage();
      this.images.set(key, g);
    }
    return g;
  }

  paint(canvas: HTMLCanvasElement, w: number, h: number, frame: FrameLike | null): void {
    fitCanvas(canvas, w, h);
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const layers = weightedLayers(frame);
    if (layers.length === 0) {
      ctx.fillStyle = "#666";
      ctx.font = font(16);
      ctx.textAlign = "left";
      ctx.fillText("Waiting for telemetry…", 12, 28);
      return;
    }
    const nIn = finite(layers[0].n_in) && layers[0].kind === "dense" ? layers[0].n_in : 1;
    const lay = diagramLayout(layers, w, h, Math.min(nIn, 64));
    const b = (frame?.boundary as BoundaryLike | null | undefined) ?? null;
    const half = lay.node / 2;

    // Edges: one bundle per pair of columns. The frame has per-layer summaries, not every weight, so
    // a bundle is neutral grey, thicker where the layer's RMS weight is larger. Stroking hundreds of
    // overlapping translucent lines is the expensive part of this view, so the bundles are drawn into
    // a cached layer and redrawn only when the layout or a (quantised) width changes.
    let maxRms = 0;
    for (const l of layers) maxRms = Math.max(maxRms, l.W?.stats?.rms ?? 0);
    const widths = lay.columns.slice(1).map((to, i) => {
      const from = lay.columns[i];
      const dense = from.shown * to.shown > 40;
      const st = edgeStyle(layers[i].W?.stats?.rms ?? 0, maxRms);
      return Math.round(Math.max(0.5, st.strokeWidth * (dense ? 0.25 : 0.6)) * 4) / 4;
    });
    const key = `${w}x${h}|${lay.columns.map((c) => c.shown).join(",")}|${widths.join(",")}`;
    if (key !== this.edgeKey) {
      this.edgeKey = key;
      this.edges ??= document.createElement("canvas");
      fitCanvas(this.edges, w, h);
      const ec = this.edges.getContext("2d");
      if (ec) {
        ec.clearRect(0, 0, w, h);
        ec.strokeStyle = "#7a7a7a";
        for (let i = 1; i < lay.columns.length; i++) {
          const from = lay.columns[i - 1];
          const to = lay.columns[i];
          ec.globalAlpha = from.shown * to.shown > 40 ? 0.25 : 0.6;
          ec.lineWidth = widths[i - 1];
          ec.beginPath();
          for (const a of from.nodes) {
            for (const c of to.nodes) {
              ec.moveTo(a.x + half, a.y);
              ec.lineTo(c.x - half, c.y);
            }
          }
          ec.stroke();
        }
        ec.globalAlpha = 1;
      }
    }
    if (this.edges) ctx.drawImage(this.edges, 0, 0, w, h);

    // Nodes.
    for (let i = 0; i < lay.columns.length; i++) {
      const col = lay.columns[i];
      const l: LayerLike | null = i === 0 ? null : layers[i - 1];
      const isOutput = i === lay.columns.length - 1;
      const unitMaps = l && b?.neurons ? b.neurons[l.id] : undefined;
      const res = b?.neuron_resolution ?? null;
      for (const n of col.nodes) {
        const x0 = n.x - half;
        const y0 = n.y - half;
        let drawn = false;
        if (isOutput && b) {
          const out = outputGrid(b);
          if (out) {
            const prob = !out.classIndex && isProbability(out.grid.values);
            const img = this.image(`out`);
            img.set(
              out.grid.values,
              out.grid.rows,
              out.grid.cols,
              prob ? { lut: LUT, lo: 0, hi: 1 } : { lut: LUT, ...activationRange(null, out.grid.values) },
              true,
            );
            img.draw(ctx, x0, y0, lay.node, lay.node, true);
            drawn = true;
          }
        } else if (unitMaps && n.unit < unitMaps.length) {
          const g = asGrid(unitMaps[n.unit], res);
          if (g && l) {
            const img = this.image(`${l.id}/${n.unit}`);
            img.set(g.values, g.rows, g.cols, { lut: LUT, ...activationRange(l.activation, g.values) }, true);
            img.draw(ctx, x0, y0, lay.node, lay.node, true);
            drawn = true;
          }
        }
        if (!drawn) {
          const mean = l?.a?.stats?.mean;
          ctx.fillStyle = l
            ? nodeFill(
                mean,
                activationName(l.activation) === "sigmoid" ? 1 : Math.max(1, Math.abs(mean ?? 0)),
              )
            : "#e8e8e8";
          ctx.fillRect(x0, y0, lay.node, lay.node);
        }
        ctx.strokeStyle = "#555";
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y0 + 0.5, lay.node - 1, lay.node - 1);
      }
      // Column label and overflow.
      ctx.fillStyle = "#111";
      ctx.font = font(15, 700);
      ctx.textAlign = "center";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(col.id, col.x, 18);
      ctx.font = font(12);
      ctx.fillStyle = "#555";
      const sub = l
        ? `${activationName(l.activation)} · W rms ${fmtNum(l.W?.stats?.rms, 2)}`
        : `${col.units} features`;
      ctx.fillText(sub, col.x, 31, lay.columns.length > 1 ? (w / lay.columns.length) * 0.95 : w);
      if (col.units > col.shown) {
        ctx.fillText(`+${col.units - col.shown} more`, col.x, h - 6);
      }
    }
  }
}

function NetworkViewImpl({ visible }: ViewProps) {
  const rootRef = useRef<HTMLDivElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const painter = useRef(new NetworkPainter());
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useLiveDraw(visible, `${sizeVersion}`, (frame) => {
    const c = canvasRef.current;
    const { w, h } = size.current;
    if (!c || w < 10 || h < 10) return;
    painter.current.paint(c, w, h, frame as FrameLike | null);
  });
  return (
    <div ref={rootRef} className="live-view network-view" data-testid="view-network">
      <div className="view-toolbar">
        <span className="muted">
          Hidden neurons show their activation over the input plane (2-D data); blue +, orange −.
        </span>
        <TimelineBar visible={visible} />
        <FullscreenButton target={rootRef} />
      </div>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="network-canvas" />
      </div>
    </div>
  );
}

export const NetworkView = memo(NetworkViewImpl);
