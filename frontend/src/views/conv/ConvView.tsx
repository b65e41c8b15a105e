/**
 * Conv layers: the chosen example's input, the layer's filters and its feature maps, updating live.
 * Click a feature-map cell to see its receptive field on the input (dashed where it reaches padding).
 */
import { memo, useEffect, useRef, useState } from "react";
import { fitCanvas, font, type Rect } from "../../charts/canvas";
import { extent, GridImage, symmetricScale } from "../../charts/gridImage";
import { ImageGrid } from "../../charts/imageGrid";
import { divergingLut, sequentialLut } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import type { FeatureMapsLike, FrameLike } from "../logic/frame";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { TimelineBar } from "../TimelineBar";
import { FullscreenButton } from "../FullscreenButton";
import {
  fieldOnInput,
  filtersOf,
  inputImage,
  mapLayers,
  mapsOf,
  patchProducts,
  type PatchProducts,
} from "./model";
import { fmtNum } from "../logic/format";

const DIV = divergingLut();
const SEQ = sequentialLut();

interface Selection {
  layer: string;
  index: number;
  row: number;
  col: number;
  /** a at that cell when it was clicked */
  value: number | null;
  /** the products w·x behind it (first conv layer only), and the step they were read at */
  products: PatchProducts | null;
  step: number | null;
}

function Matrix({ title, m }: { title: string; m: number[][] }) {
  return (
    <table className="mini-matrix">
      <caption>{title}</caption>
      <tbody>
        {m.map((row, i) => (
          <tr key={i}>
            {row.map((v, j) => (
              <td key={j}>{fmtNum(v, 3)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The lecture's "9 products and the sum" for the clicked cell of a first-layer conv map. */
function ProductsPanel({ sel }: { sel: Selection }) {
  const p = sel.products;
  if (!p || p.x.length > 7 || p.x[0].length > 7) return null;
  return (
    <div className="conv-products" data-testid="conv-products">
      <Matrix title={p.channels > 1 ? "x (channel 0)" : "x (receptive field)"} m={p.x} />
      <span className="op">⊙</span>
      <Matrix title={p.channels > 1 ? "w (channel 0)" : "w (filter)"} m={p.w} />
      <span className="op">→</span>
      <Matrix title={p.channels > 1 ? "w·x (all channels)" : "w·x"} m={p.products} />
      <div className="sum">
        Σ w·x = <strong>{fmtNum(p.sum, 4)}</strong>
        <br />a = φ(Σ w·x + b) = <strong>{fmtNum(sel.value, 4)}</strong>
        <br />
        <span className="muted">step {sel.step ?? "–"}</span>
      </div>
    </div>
  );
}

function featureMaps(frame: FrameLike | null): FeatureMapsLike | null {
  return (frame?.feature_maps as FeatureMapsLike | null | undefined) ?? null;
}

function layerIdsKey(frame: FrameLike | null): string {
  return mapLayers(featureMaps(frame))
    .map((l) => `${l.id}:${l.kind}`)
    .join(",");
}

class ConvPainter {
  readonly input = new GridImage();
  readonly filters = new ImageGrid();
  readonly maps = new ImageGrid();
  inputRect: Rect = { x: 0, y: 0, w: 0, h: 0 };

  paint(
    canvas: HTMLCanvasElement,
    w: number,
    h: number,
    fm: FeatureMapsLike | null,
    layerId: string,
    sel: Selection | null,
  ) {
    fitCanvas(canvas, w, h);
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const layers = mapLayers(fm);
    const layer = layers.find((l) => l.id === layerId) ?? layers[0];
    if (!fm || !layer) {
      ctx.fillStyle = "#666";
      ctx.font = font(16);
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.fillText("No conv layers in this frame (load a CNN preset, e.g. MNIST CNN).", 12, 28);
      return;
    }
    const titleH = 24;
    const heading = (text: string, x: number) => {
      ctx.fillStyle = "#111";
      ctx.font = font(15, 700);
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(text, x, 17);
    };

    // Input image with the receptive field of the selected cell.
    const img = inputImage(fm);
    const side = Math.max(40, Math.min(h - titleH - 6, w * 0.26));
    this.inputRect = { x: 4, y: titleH, w: side, h: side };
    heading(
      `input #${fm.example ?? 0}${fm.label !== undefined && fm.label !== null ? ` (label ${fm.label})` : ""}`,
      4,
    );
    if (img) {
      this.input.set(img.values, img.rows, img.cols, { lut: SEQ, ...extent(img.values) }, false);
      this.input.draw(ctx, this.inputRect.x, this.inputRect.y, side, side, false);
      ctx.strokeStyle = "#999";
      ctx.lineWidth = 1;
      ctx.strokeRect(this.inputRect.x - 0.5, this.inputRect.y - 0.5, side + 1, side + 1);
      if (sel && sel.layer === layer.id) {
        const f = fieldOnInput(fm, layer.id, sel.row, sel.col);
        if (f) {
          const cw = side / img.cols;
          const ch = side / img.rows;
          ctx.strokeStyle = "#D55E00";
          ctx.lineWidth = 3;
          if (f.touchesPadding) ctx.setLineDash([6, 4]);
          ctx.strokeRect(
            this.inputRect.x + f.c0 * cw,
            this.inputRect.y + f.r0 * ch,
            (f.c1 - f.c0 + 1) * cw,
            (f.r1 - f.r0 + 1) * ch,
          );
          ctx.setLineDash([]);
          ctx.fillStyle = "rgba(213,94,0,0.12)";
          ctx.fillRect(
            this.inputRect.x + f.c0 * cw,
            this.inputRect.y + f.r0 * ch,
            (f.c1 - f.c0 + 1) * cw,
            (f.r1 - f.r0 + 1) * ch,
          );
        }
      }
    }

    let x = side + 24;
    // Filters (conv layers only), on one symmetric scale so their strengths compare.
    const filt = filtersOf(layer);
    if (filt) {
      const fw = Math.min((w - x) * 0.32, 260);
      heading(filt.meanOverInputs ? "filters W (mean over input channels)" : "filters W", x);
      const scale = { lut: DIV, ...symmetricScale(filt.values) };
      this.filters.draw(
        ctx,
        { x, y: titleH + 14, w: fw, h: h - titleH - 18 },
        filt.values,
        filt.n,
        filt.rows,
        filt.cols,
        () => scale,
        (i) => `${i}`,
      );
      x += fw + 24;
    } else {
      this.filters.layout = { tiles: [], tile: 0 };
    }

    // Feature maps a = φ(z) of the example, each scaled to its own range so weak maps stay readable
    // (ReLU maps on a light→dark scale from 0; maps with negative values on the diverging scale).
    const maps = mapsOf(layer);
    if (maps) {
      heading(`feature maps of ${layer.id} (${layer.kind}), each scaled to its max — click a cell`, x);
      const size = maps.rows * maps.cols;
      const scale = (i: number) => {
        const e = extent(maps.values, i * size, size);
        return e.lo < 0
          ? { lut: DIV, ...symmetricScale(maps.values, i * size, size) }
          : { lut: SEQ, lo: 0, hi: e.hi > 0 ? e.hi : 1 };
      };
      const chosen = sel && sel.layer === layer.id ? sel.index : null;
      this.maps.draw(
        ctx,
        { x, y: titleH + 14, w: w - x - 4, h: h - titleH - 18 },
        maps.values,
        maps.n,
        maps.rows,
        maps.cols,
        scale,
        (i) => `${i}`,
        chosen,
      );
      if (sel && chosen !== null) {
        const t = this.maps.layout.tiles[chosen];
        if (t) {
          const cw = t.w / maps.cols;
          const chh = t.h / maps.rows;
          ctx.strokeStyle = "#D55E00";
          ctx.lineWidth = 2;
          ctx.strokeRect(t.x + sel.col * cw, t.y + sel.row * chh, cw, chh);
        }
      }
    }
  }
}

function ConvViewImpl({ visible }: ViewProps) {
  const rootRef = useRef<HTMLDivElement | null>(null);
  const ids = useThrottledFrameValue(visible, (f) => layerIdsKey(f as FrameLike | null), 2);
  const layerOptions = ids ? ids.split(",").map((s) => s.split(":")) : [];
  const [layerId, setLayerId] = useState<string>("");
  const [sel, setSel] = useState<Selection | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const painter = useRef(new ConvPainter());
  const lastFm = useRef<FeatureMapsLike | null>(null);
  const lastStep = useRef<number | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const current =
    layerId && layerOptions.some(([id]) => id === layerId) ? layerId : (layerOptions[0]?.[0] ?? "");

  useEffect(() => setSel(null), [current]);

  useLiveDraw(
    visible,
    `${sizeVersion}|${current}|${sel ? `${sel.layer}/${sel.index}/${sel.row}/${sel.col}` : ""}`,
    (frame) => {
      const c = canvasRef.current;
      const { w, h } = size.current;
      if (!c || w < 10 || h < 10) return;
      const fm = featureMaps(frame as FrameLike | null);
      lastFm.current = fm;
      lastStep.current = (frame as FrameLike | null)?.step ?? null;
      painter.current.paint(c, w, h, fm, current, sel);
    },
  );

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const hit = painter.current.maps.hit(e.clientX - r.left, e.clientY - r.top);
    if (!hit) return;
    const layer = mapLayers(lastFm.current).find((l) => l.id === current);
    const maps = layer ? mapsOf(layer) : null;
    const value = maps ? maps.values[(hit.index * maps.rows + hit.row) * maps.cols + hit.col] : null;
    const products = patchProducts(lastFm.current, current, hit.index, hit.row, hit.col);
    setSel({ layer: current, ...hit, value: value ?? null, products, step: lastStep.current });
  };

  return (
    <div ref={rootRef} className="live-view conv-view" data-testid="view-conv">
      <div className="view-toolbar">
        <label>
          layer{" "}
          <select
            value={current}
            onChange={(e) => setLayerId(e.currentTarget.value)}
            aria-label="Conv layer"
            disabled={layerOptions.length === 0}
          >
            {layerOptions.map(([id, kind]) => (
              <option key={id} value={id}>
                {id} ({kind})
              </option>
            ))}
          </select>
        </label>
        {sel ? (
          <span className="muted" data-testid="conv-selection">
            map {sel.index}, cell ({sel.row}, {sel.col}): a = {fmtNum(sel.value)}
          </span>
        ) : null}
        <TimelineBar visible={visible} />
        <FullscreenButton target={rootRef} />
      </div>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} onClick={onClick} data-testid="conv-canvas" style={{ cursor: "crosshair" }} />
        {sel && sel.layer === current ? <ProductsPanel sel={sel} /> : null}
      </div>
    </div>
  );
}

export const ConvView = memo(ConvViewImpl);
