/**
 * Conv layers: the chosen example's input, the layer's filters and its feature maps, updating live.
 * Click a feature-map cell to see its receptive field on the input (dashed where it reaches padding)
 * and, in a card docked below the canvas, its a and (first conv layer) the products w·x behind it.
 * The selection remembers only where the cell is; its numbers come from the frame on screen.
 */
import { memo, useCallback, useEffect, useRef, useState } from "react";
import { clearedContext, font, type Rect, drawNote } from "../../charts/canvas";
import { fitText } from "../../charts/fitText";
import { extent, GridImage, symmetricScale } from "../../charts/gridImage";
import { ImageGrid } from "../../charts/imageGrid";
import { divergingLut, sequentialLut } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import type { FeatureMapsLike, FrameLike } from "../logic/frame";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { isTypingTarget } from "../../app/shortcuts";
import {
  cellKey,
  fieldOnInput,
  filterHeadings,
  filtersOf,
  inputHeadings,
  inputImage,
  mapHeadings,
  mapLayers,
  mapsOf,
  readCell,
  type CellReadout,
  type MapCell,
  type PatchProducts,
} from "./model";
import { fmtNum } from "../../charts/format";
import { ViewToolbar, LiveView } from "../ViewChrome";

const DIV = divergingLut();
const SEQ = sequentialLut();

/** Larger kernels make a products table too big to read; the card then shows a alone. */
const MAX_TABLE_SIDE = 7;

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

/** The lecture's "9 products" behind a cell of a first-layer conv map: x ⊙ w → w·x. */
function ProductsTable({ p }: { p: PatchProducts }) {
  return (
    <div className="conv-products" data-testid="conv-products">
      <Matrix title={p.channels > 1 ? "x (channel 0)" : "x (receptive field)"} m={p.x} />
      <span className="op">⊙</span>
      <Matrix title={p.channels > 1 ? "w (channel 0)" : "w (filter)"} m={p.w} />
      <span className="op">→</span>
      <Matrix title={p.channels > 1 ? "w·x (all channels)" : "w·x"} m={p.products} />
    </div>
  );
}

/**
 * The selected cell's numbers, docked below the canvas (never over the input image or the maps), read
 * from the frame the view shows: live, or wherever the timeline is scrubbed to.
 */
function CellCard({ cell, readout, onClose }: { cell: MapCell; readout: CellReadout; onClose: () => void }) {
  const p = readout.products;
  const table = p && p.x.length <= MAX_TABLE_SIDE && p.x[0].length <= MAX_TABLE_SIDE ? p : null;
  return (
    <section className="conv-cell-card" data-testid="conv-cell-card" aria-label="Selected feature-map cell">
      <div className="cell-body">
        {table ? <ProductsTable p={table} /> : null}
        <div className="cell-readout">
          {table ? (
            <>
              Σ w·x = <strong>{fmtNum(table.sum, 4)}</strong>
              <br />a = φ(Σ w·x + b) = <strong>{fmtNum(readout.a, 4)}</strong>
            </>
          ) : (
            <>
              a = <strong>{fmtNum(readout.a, 4)}</strong>
            </>
          )}
          <br />
          <span className="muted">
            <span data-testid="conv-selection">
              {cell.layer} map {cell.index}, cell ({cell.row}, {cell.col}),
            </span>{" "}
            <span data-testid="conv-card-step" data-step={readout.step ?? ""}>
              step {readout.step ?? "–"}
            </span>
          </span>
        </div>
      </div>
      <button
        type="button"
        className="conv-card-close"
        onClick={onClose}
        aria-label="Close the cell's numbers"
        title="Close (Esc)"
        data-testid="conv-card-close"
      >
        ×
      </button>
    </section>
  );
}

/** Escape clears the selection while the view is shown (not while typing in a field). */
function useEscape(active: boolean, onEscape: () => void) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || isTypingTarget(e.target)) return;
      onEscape();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [active, onEscape]);
}

function featureMaps(frame: FrameLike | null): FeatureMapsLike | null {
  return (frame?.feature_maps as FeatureMapsLike | null | undefined) ?? null;
}

function layerIdsKey(frame: FrameLike | null): string {
  return mapLayers(featureMaps(frame))
    .map((l) => `${l.id}:${l.kind}`)
    .join(",");
}

/** A column heading as drawn: its text, where it starts, how wide it is and where its column ends. */
interface DrawnHeading {
  text: string;
  x: number;
  width: number;
  right: number;
}

/** Space kept between a heading and the next column's. */
const HEADING_GAP = 12;

class ConvPainter {
  readonly input = new GridImage();
  readonly filters = new ImageGrid();
  readonly maps = new ImageGrid();
  inputRect: Rect = { x: 0, y: 0, w: 0, h: 0 };
  /** the selected cell's outline on its map, if drawn */
  cellRect: Rect | null = null;
  /** the column headings of the last drawing */
  headings: DrawnHeading[] = [];

  paint(
    canvas: HTMLCanvasElement,
    w: number,
    h: number,
    fm: FeatureMapsLike | null,
    layerId: string,
    sel: MapCell | null,
  ) {
    this.cellRect = null;
    this.inputRect = { x: 0, y: 0, w: 0, h: 0 };
    this.headings = [];
    const ctx = clearedContext(canvas, w, h);
    if (!ctx) return;
    const layers = mapLayers(fm);
    const layer = layers.find((l) => l.id === layerId) ?? layers[0];
    if (!fm || !layer) {
      drawNote(ctx, "No conv layers in this frame (load a CNN preset, e.g. MNIST CNN).", 12, 28, 16);
      return;
    }
    const titleH = 24;
    // Each heading in the longest of its wordings that fits from x to its column's end `right`.
    const heading = (wordings: readonly string[], x: number, right: number) => {
      ctx.fillStyle = "#111";
      ctx.font = font(15, 700);
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      const measure = (t: string) => ctx.measureText(t).width;
      const text = fitText(wordings, right - x, measure);
      if (text) ctx.fillText(text, x, 17);
      this.headings.push({ text, x, width: text ? measure(text) : 0, right });
    };

    // Input image with the receptive field of the selected cell.
    const img = inputImage(fm);
    const side = Math.max(40, Math.min(h - titleH - 6, w * 0.26));
    this.inputRect = { x: 4, y: titleH, w: side, h: side };
    heading(inputHeadings(fm.example, fm.label), 4, side + 24 - HEADING_GAP);
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
    const maps = mapsOf(layer);
    if (filt) {
      const fw = Math.min((w - x) * 0.32, 260);
      heading(filterHeadings(filt.meanOverInputs), x, maps ? x + fw + 24 - HEADING_GAP : w - 4);
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
    if (maps) {
      heading(mapHeadings(layer), x, w - 4);
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
          this.cellRect = { x: t.x + sel.col * cw, y: t.y + sel.row * chh, w: cw, h: chh };
          ctx.strokeStyle = "#D55E00";
          ctx.lineWidth = 2;
          ctx.strokeRect(this.cellRect.x, this.cellRect.y, cw, chh);
        }
      }
    }
  }
}

const rectAttr = (r: Rect | null) => (r ? [r.x, r.y, r.w, r.h].map((v) => v.toFixed(1)).join(",") : "");

/**
 * Where the input image and the selected cell are drawn, and the headings (CSS px in the canvas), for
 * browser tests.
 */
function exposeLayout(canvas: HTMLCanvasElement, painter: ConvPainter, step: number | null) {
  const attrs = {
    // the column headings as drawn: [{text, x, width, right}] in CSS px of the canvas
    headings: JSON.stringify(
      painter.headings.map((h) => ({
        ...h,
        x: Math.round(h.x),
        width: Math.round(h.width),
        right: Math.round(h.right),
      })),
    ),
    inputRect: rectAttr(painter.inputRect),
    cellRect: rectAttr(painter.cellRect),
    step: step === null ? "" : String(step),
  };
  for (const [k, v] of Object.entries(attrs)) if (canvas.dataset[k] !== v) canvas.dataset[k] = v;
}

function ConvViewImpl({ visible }: ViewProps) {
  const ids = useThrottledFrameValue(visible, (f) => layerIdsKey(f as FrameLike | null), 2);
  const layerOptions = ids ? ids.split(",").map((s) => s.split(":")) : [];
  const [layerId, setLayerId] = useState<string>("");
  const [cell, setCell] = useState<MapCell | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const painter = useRef(new ConvPainter());
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const current =
    layerId && layerOptions.some(([id]) => id === layerId) ? layerId : (layerOptions[0]?.[0] ?? "");
  const sel = cell && cell.layer === current ? cell : null;

  const clearCell = useCallback(() => setCell(null), []);
  useEffect(() => setCell(null), [current]);
  useEscape(visible && sel !== null, clearCell);

  // The card's numbers follow the frame on screen, as text: a few refreshes a second are plenty.
  const readout = useThrottledFrameValue(
    visible,
    (f) =>
      sel ? readCell(featureMaps(f as FrameLike | null), (f as FrameLike | null)?.step ?? null, sel) : null,
    4,
    cellKey(sel),
  );

  useLiveDraw(visible, `${sizeVersion}|${current}|${cellKey(sel)}`, (frame) => {
    const c = canvasRef.current;
    const { w, h } = size.current;
    if (!c || w < 10 || h < 10) return;
    painter.current.paint(c, w, h, featureMaps(frame as FrameLike | null), current, sel);
    exposeLayout(c, painter.current, (frame as FrameLike | null)?.step ?? null);
  });

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const hit = painter.current.maps.hit(e.clientX - r.left, e.clientY - r.top);
    if (hit) setCell({ layer: current, ...hit });
  };

  return (
    <LiveView visible={visible} className="conv-view" testId="view-conv">
      <ViewToolbar>
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
      </ViewToolbar>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas ref={canvasRef} onClick={onClick} data-testid="conv-canvas" style={{ cursor: "crosshair" }} />
      </div>
      {sel && readout ? <CellCard cell={sel} readout={readout} onClose={clearCell} /> : null}
    </LiveView>
  );
}

export const ConvView = memo(ConvViewImpl);
