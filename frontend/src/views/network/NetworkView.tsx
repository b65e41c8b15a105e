/**
 * A read-only network diagram drawn from the frame: one column per layer; for 2-D data every input
 * node shows its feature over the input plane (x a ramp, x² a bowl, sin x stripes), every hidden neuron
 * its own activation over the same plane (as in TensorFlow Playground) and the output node the
 * network's decision map; otherwise nodes are coloured by their mean activation over the batch
 * (per unit where the frame carries `a_mean`, else the layer's mean). Where the frame carries every
 * weight of a layer (`W_values`, dense layers of ≤ 1,024 weights) each edge is coloured by its sign and
 * thickened by |w|; larger layers are drawn as one grey bundle thickened by the layer's RMS weight.
 *
 * Hovering tells the exact numbers (as TensorFlow Playground's "Weight is 0.23"): the pointer is tested
 * against the geometry of the last paint (hit.ts), the thing under it is outlined, and a tooltip next to
 * the pointer says which weight or unit it is and its value in the frame on screen, following new frames
 * and the timeline while the pointer stays still.
 */
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { fitCanvas, font, drawNote } from "../../charts/canvas";
import { GridImage, symmetricScale } from "../../charts/gridImage";
import { divergingLut } from "../../charts/palette";
import type { ViewProps } from "../../app/viewTypes";
import { activationName, finite, type BoundaryLike, type FrameLike, type LayerLike } from "../logic/frame";
import { edgeStyle, nodeFill } from "../logic/edgeStyle";
import { fmtNum } from "../../charts/format";
import { weightedLayers } from "../logic/warnings";
import { asGrid, isProbability, outputGrid } from "../boundary/points";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { useCatalogStore, useRunStore, useSpecStore } from "../../store/context";
import { FEATURE_LABEL, type Feature2D } from "../../spec/types";
import { activationRange, diagramLayout, type DiagramLayout } from "./layout";
import { bucketStyle, EDGE_LEVELS, edgePlan, meanRange, unitMeans, type EdgeMode } from "./weights";
import { hitKey, hitTest, type Hit, type HitGeometry } from "./hit";
import { avoidFor, placeTooltip, tooltipContent, type TooltipContent } from "./tooltip";
import { featureGrid, inputFeatures, inputPlane, type InputPlane } from "./features";
import { dropConnectLayers, liveNodes, type NodeLike } from "../nodes/model";
import { CROSS_CSS, DROPPED_CSS } from "../nodes/maskGrid";
import { POS_CSS } from "../../charts/palette";
import { droppedEdges, droppedUnits, gapNodes, nodeGlyph } from "./nodeColumns";
import "./network.css";
import { ViewToolbar, LiveView } from "../ViewChrome";

const LUT = divergingLut();

interface Point {
  x: number;
  y: number;
}

interface Painted {
  /** how edges were drawn */
  mode: EdgeMode;
  /** what is under the pointer in this drawing (outlined), or null */
  hit: Hit | null;
  layers: LayerLike[];
  /** the features the input nodes show over the plane, or null when they are plain */
  inputMaps: Feature2D[] | null;
  /** the nodes drawn as columns between the layers, left to right */
  nodeColumns: string[];
  /** dropout markers crossed out (units dropped this step, first example) */
  droppedUnits: number;
  /** drawn edges crossed out as DropConnect dropped them this step */
  droppedEdges: number;
}

const NODE_FILL: Record<string, string> = {
  batchnorm: "#dcecf8",
  activation: "#fbe7c6",
  add: "#e6e6e6",
};

/**
 * Each batchnorm, dropout, add and activation node as a narrow column in the gap between the layer
 * columns it sits between, one marker per drawn unit; dropout's crossed out where this step dropped
 * the unit (first example). Its name goes under it, clear of the layers' labels above.
 */
function paintNodeColumns(
  ctx: CanvasRenderingContext2D,
  lay: DiagramLayout,
  layers: readonly LayerLike[],
  nodes: readonly NodeLike[],
  w: number,
  h: number,
): { ids: string[]; dropped: number } {
  const ids: string[] = [];
  let dropped = 0;
  if (nodes.length === 0) return { ids, dropped };
  const half = lay.node / 2;
  const overflow = lay.columns.some((c) => c.units > c.shown);
  for (const g of gapNodes(layers, nodes)) {
    const from = lay.columns[g.gap];
    if (!from) continue;
    const to = lay.columns[g.gap + 1];
    const left = from.x + half;
    const right = to ? to.x - half : Math.min(w - 4, from.x + half + lay.node * 2);
    const spacing = (right - left) / (g.of + 1);
    const x = left + spacing * (g.slot + 1);
    const m = Math.max(9, Math.min(lay.node * 0.5, 22, spacing * 0.6));
    const off = droppedUnits(g.node, from.shown);
    ids.push(g.node.id);
    for (const n of from.nodes) {
      const drop = off ? off[n.unit] : false;
      const x0 = x - m / 2;
      const y0 = n.y - m / 2;
      ctx.fillStyle =
        g.node.kind === "dropout"
          ? off
            ? drop
              ? DROPPED_CSS
              : POS_CSS
            : "#fff"
          : (NODE_FILL[g.node.kind] ?? "#fff");
      ctx.fillRect(x0, y0, m, m);
      ctx.strokeStyle = "#555";
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, y0 + 0.5, m - 1, m - 1);
      if (drop) {
        dropped += 1;
        ctx.strokeStyle = CROSS_CSS;
        ctx.lineWidth = m >= 14 ? 2.5 : 1.5;
        ctx.beginPath();
        ctx.moveTo(x0 - 2, y0 - 2);
        ctx.lineTo(x0 + m + 2, y0 + m + 2);
        ctx.moveTo(x0 + m + 2, y0 - 2);
        ctx.lineTo(x0 - 2, y0 + m + 2);
        ctx.stroke();
      }
    }
    // Its name under it, where it fits ("σ a1", else just "σ"), on the line above the layers'
    // "+n more" when some column has one.
    ctx.fillStyle = "#333";
    ctx.font = font(12, 600);
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    const glyph = nodeGlyph(g.node);
    const full = g.node.id.toLowerCase().startsWith(glyph.toLowerCase())
      ? g.node.id
      : `${glyph} ${g.node.id}`;
    const room = spacing * 0.95;
    const label =
      ctx.measureText(full).width <= room ? full : ctx.measureText(glyph).width <= room ? glyph : "";
    if (label) ctx.fillText(label, x, overflow ? h - 19 : h - 8);
  }
  return { ids, dropped };
}

/** Red dashes over the drawn edges whose weight DropConnect dropped this step; returns how many. */
function paintDropConnect(
  ctx: CanvasRenderingContext2D,
  columns: DiagramLayout["columns"],
  layers: readonly LayerLike[],
  half: number,
): number {
  let count = 0;
  ctx.save();
  ctx.setLineDash([4, 3]);
  ctx.strokeStyle = CROSS_CSS;
  ctx.globalAlpha = 0.6;
  ctx.lineWidth = 1.25;
  layers.forEach((layer, k) => {
    const from = columns[k];
    const to = columns[k + 1];
    if (!from || !to || !layer.drop_connect) return;
    const cut = droppedEdges(layer, from.shown, to.shown);
    if (cut.length === 0) return;
    ctx.beginPath();
    for (const [f, t] of cut) {
      const a = from.nodes[f];
      const c = to.nodes[t];
      if (!a || !c) continue;
      ctx.moveTo(a.x + half, a.y);
      ctx.lineTo(c.x - half, c.y);
      count += 1;
    }
    ctx.stroke();
  });
  ctx.restore();
  return count;
}

/** Every edge between two columns of nodes, as one path (a layer drawn as a bundle). */
function bundlePath(
  ctx: CanvasRenderingContext2D,
  from: readonly { x: number; y: number }[],
  to: readonly { x: number; y: number }[],
  half: number,
): void {
  for (const a of from) {
    for (const c of to) {
      ctx.moveTo(a.x + half, a.y);
      ctx.lineTo(c.x - half, c.y);
    }
  }
}

class NetworkPainter {
  private images = new Map<string, GridImage>();
  /** what each input feature's image was last painted with (the plane does not move during a run) */
  private featureKeys = new Map<Feature2D, string>();
  private edges: HTMLCanvasElement | null = null;
  private edgeKey = "";
  /** geometry of the last drawing, for hit-testing pointer moves between drawings */
  geometry: HitGeometry | null = null;
  /** key of the hit outlined in the last drawing */
  drawnHit = "";

  private image(key: string): GridImage {
    let g = this.images.get(key);
    if (!g) {
      g = new GridImage();
      this.images.set(key, g);
    }
    return g;
  }

  /**
   * Feature `f` over the plane. Each feature gets its own symmetric scale, ± its largest |value| over
   * the plane, so 0 is white and every feature uses the whole palette. The network may see the
   * features rescaled (the data's preprocessing standardises or min-max scales each), so its inputs
   * are not these numbers — but the shape, a ramp, a bowl or stripes, is what teaches.
   */
  private featureImage(f: Feature2D, p: InputPlane): GridImage {
    const img = this.image(`input/${f}`);
    const key = `${p.xRange.join(",")}|${p.yRange.join(",")}|${p.res}`;
    if (this.featureKeys.get(f) !== key) {
      const values = featureGrid(f, p.xRange, p.yRange, p.res);
      img.set(values, p.res, p.res, { lut: LUT, ...symmetricScale(values) }, true);
      this.featureKeys.set(f, key);
    }
    return img;
  }

  hitAt(p: Point | null): Hit | null {
    return p && this.geometry ? hitTest(this.geometry, p.x, p.y) : null;
  }

  /**
   * Draws the diagram with whatever is under `pointer` outlined; `features` are the network's inputs
   * when it reads a 2-D set's features (see features.ts). Returns how edges were drawn and that hit
   * (null when there is nothing to draw).
   */
  paint(
    canvas: HTMLCanvasElement,
    w: number,
    h: number,
    frame: FrameLike | null,
    pointer: Point | null,
    features: readonly Feature2D[] | null,
  ): Painted | null {
    fitCanvas(canvas, w, h);
    this.geometry = null;
    this.drawnHit = "";
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    ctx.clearRect(0, 0, w, h);
    const layers = weightedLayers(frame);
    if (layers.length === 0) {
      drawNote(ctx, "Waiting for telemetry…", 12, 28, 16);
      return null;
    }
    const nIn = finite(layers[0].n_in) && layers[0].kind === "dense" ? layers[0].n_in : 1;
    const lay = diagramLayout(layers, w, h, Math.min(nIn, 64));
    const b = (frame?.boundary as BoundaryLike | null | undefined) ?? null;
    const half = lay.node / 2;
    const plane = inputPlane(b, features, layers[0], lay.columns[0].shown);

    // Edges. Where the frame carries every weight of a layer (dense layers of ≤ 1,024 weights) each
    // edge is drawn by its own weight: blue +, orange −, wider and more opaque for larger |w|. Other
    // layers get one neutral grey bundle, thicker where the layer's RMS weight is larger. Stroking
    // hundreds of translucent lines is the expensive part of this view, so edges are quantised (sign ×
    // EDGE_LEVELS widths, one stroke per bucket) into a cached layer, redrawn only when the layout or
    // some quantised edge changes.
    const plan = edgePlan(
      layers,
      lay.columns.map((c) => c.shown),
    );
    this.geometry = { columns: lay.columns, node: lay.node, buckets: plan.buckets };
    const hit = this.hitAt(pointer);
    this.drawnHit = hitKey(hit);
    let maxRms = 0;
    for (const l of layers) maxRms = Math.max(maxRms, l.W?.stats?.rms ?? 0);
    const widths = lay.columns.slice(1).map((to, i) => {
      const from = lay.columns[i];
      const dense = from.shown * to.shown > 40;
      const st = edgeStyle(layers[i].W?.stats?.rms ?? 0, maxRms);
      return Math.round(Math.max(0.5, st.strokeWidth * (dense ? 0.25 : 0.6)) * 4) / 4;
    });
    const key = `${w}x${h}|${lay.columns.map((c) => c.shown).join(",")}|${widths.join(",")}${plan.key}`;
    if (key !== this.edgeKey) {
      this.edgeKey = key;
      this.edges ??= document.createElement("canvas");
      fitCanvas(this.edges, w, h);
      const ec = this.edges.getContext("2d");
      if (ec) {
        ec.clearRect(0, 0, w, h);
        ec.lineCap = "round";
        for (let i = 1; i < lay.columns.length; i++) {
          const from = lay.columns[i - 1];
          const to = lay.columns[i];
          const buckets = plan.buckets[i - 1];
          if (buckets) {
            // Thin buckets first, so strong edges lie on top (hit.ts's bucketOrder follows this order).
            for (let level = 0; level <= EDGE_LEVELS; level++) {
              for (const bucket of level === 0 ? [0] : [level, -level]) {
                const st = bucketStyle(bucket);
                let any = false;
                ec.beginPath();
                for (const c of to.nodes) {
                  for (const a of from.nodes) {
                    if (buckets[c.unit * from.shown + a.unit] !== bucket) continue;
                    ec.moveTo(a.x + half, a.y);
                    ec.lineTo(c.x - half, c.y);
                    any = true;
                  }
                }
                if (!any) continue;
                ec.strokeStyle = st.stroke;
                ec.globalAlpha = st.opacity;
                ec.lineWidth = Math.min(st.strokeWidth, Math.max(1, half * 0.5));
                ec.stroke();
              }
            }
            continue;
          }
          ec.strokeStyle = "#7a7a7a";
          ec.globalAlpha = from.shown * to.shown > 40 ? 0.25 : 0.6;
          ec.lineWidth = widths[i - 1];
          ec.beginPath();
          bundlePath(ec, from.nodes, to.nodes, half);
          ec.stroke();
        }
        ec.globalAlpha = 1;
      }
    }
    if (this.edges) ctx.drawImage(this.edges, 0, 0, w, h);
    if (hit && hit.kind !== "node") this.outlineEdges(ctx, lay.columns, hit, plan.buckets[hit.layer], half);
    const cut = paintDropConnect(ctx, lay.columns, layers, half);
    const nodeCols = paintNodeColumns(ctx, lay, layers, liveNodes(frame), w, h);

    // Nodes.
    for (let i = 0; i < lay.columns.length; i++) {
      const col = lay.columns[i];
      const l: LayerLike | null = i === 0 ? null : layers[i - 1];
      const isOutput = i === lay.columns.length - 1;
      const unitMaps = l && b?.neurons ? b.neurons[l.id] : undefined;
      const res = b?.neuron_resolution ?? null;
      // Per-unit mean activations (small dense layers); else the layer's mean colours every node.
      const means = unitMeans(l);
      const range = l && means ? meanRange(l, means) : 1;
      const gap = col.nodes.length > 1 ? col.nodes[1].y - col.nodes[0].y - lay.node : lay.node;
      for (const n of col.nodes) {
        const x0 = n.x - half;
        const y0 = n.y - half;
        let drawn = false;
        if (i === 0 && plane && n.unit < plane.features.length) {
          this.featureImage(plane.features[n.unit], plane).draw(ctx, x0, y0, lay.node, lay.node, true);
          drawn = true;
        } else if (isOutput && b) {
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
          if (means && l) {
            ctx.fillStyle = nodeFill(n.unit < means.length ? means[n.unit] : NaN, range);
          } else {
            const mean = l?.a?.stats?.mean;
            ctx.fillStyle = l
              ? nodeFill(
                  mean,
                  activationName(l.activation) === "sigmoid" ? 1 : Math.max(1, Math.abs(mean ?? 0)),
                )
              : "#e8e8e8";
          }
          ctx.fillRect(x0, y0, lay.node, lay.node);
        } else if (means && l && gap >= 4 && n.unit < means.length) {
          // The unit's mean activation over the batch, as a strip under its activation map.
          ctx.fillStyle = nodeFill(means[n.unit], range);
          ctx.fillRect(x0, y0 + lay.node + 1, lay.node, Math.min(5, gap - 2));
        }
        ctx.strokeStyle = "#555";
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y0 + 0.5, lay.node - 1, lay.node - 1);
        if (hit?.kind === "node" && hit.column === i && hit.unit === n.unit) {
          ctx.strokeStyle = "#111";
          ctx.lineWidth = 3;
          ctx.strokeRect(x0 - 1.5, y0 - 1.5, lay.node + 3, lay.node + 3);
        }
        if (i === 0 && plane && n.unit < plane.features.length) {
          // The feature's name left of its node, as in the playground, where there is room for it.
          const label = FEATURE_LABEL[plane.features[n.unit]];
          ctx.font = font(14);
          if (ctx.measureText(label).width <= x0 - 10) {
            ctx.fillStyle = "#333";
            ctx.textAlign = "right";
            ctx.textBaseline = "middle";
            ctx.fillText(label, x0 - 6, n.y);
          }
        }
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
      ctx.fillText(sub, col.x, 31, lay.columns.length > 1 ? ((w - 40) / lay.columns.length) * 0.9 : w);
      if (col.units > col.shown) {
        ctx.fillText(`+${col.units - col.shown} more`, col.x, h - 6);
      }
    }
    return {
      mode: plan.mode,
      hit,
      layers,
      inputMaps: plane?.features ?? null,
      nodeColumns: nodeCols.ids,
      droppedUnits: nodeCols.dropped,
      droppedEdges: cut,
    };
  }

  /** The hovered edge drawn again on top, dark-edged; a hovered bundle darkened as a whole. */
  private outlineEdges(
    ctx: CanvasRenderingContext2D,
    columns: DiagramLayout["columns"],
    hit: Extract<Hit, { kind: "edge" | "bundle" }>,
    buckets: Int8Array | null | undefined,
    half: number,
  ): void {
    const from = columns[hit.layer];
    const to = columns[hit.layer + 1];
    if (!from || !to) return;
    ctx.save();
    ctx.lineCap = "round";
    if (hit.kind === "bundle") {
      ctx.strokeStyle = "#222";
      ctx.globalAlpha = 0.55;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      bundlePath(ctx, from.nodes, to.nodes, half);
      ctx.stroke();
    } else {
      const a = from.nodes[hit.from];
      const c = to.nodes[hit.to];
      if (a && c) {
        const st = bucketStyle(buckets ? buckets[hit.to * from.shown + hit.from] : 0);
        const width = Math.max(1.5, Math.min(st.strokeWidth, Math.max(1, half * 0.5)));
        ctx.beginPath();
        ctx.moveTo(a.x + half, a.y);
        ctx.lineTo(c.x - half, c.y);
        ctx.strokeStyle = "#111";
        ctx.lineWidth = width + 4;
        ctx.stroke();
        ctx.strokeStyle = st.stroke;
        ctx.lineWidth = width;
        ctx.stroke();
      }
    }
    ctx.restore();
  }
}

/** Fill the tooltip element with `content` (empty hides it, see network.css); no DOM work when unchanged. */
function fillTooltip(tip: HTMLDivElement, content: TooltipContent | null, key: string): void {
  const text = content ? [content.title, ...content.lines].join("\n") : "";
  if (tip.dataset.text === text && tip.dataset.hit === key) return;
  tip.dataset.text = text;
  tip.dataset.hit = key;
  if (!content) {
    tip.replaceChildren();
    return;
  }
  const title = document.createElement("div");
  title.className = "network-tip-title";
  title.textContent = content.title;
  tip.replaceChildren(
    title,
    ...content.lines.map((line) => {
      const div = document.createElement("div");
      div.textContent = line;
      return div;
    }),
  );
}

/** Put the (filled) tooltip next to the pointer, inside the canvas box, clear of what it describes. */
function moveTooltip(
  tip: HTMLDivElement,
  p: Point | null,
  boxW: number,
  boxH: number,
  geo: HitGeometry | null,
  hit: Hit | null,
): void {
  if (!p || !tip.firstChild) return;
  const { left, top } = placeTooltip(
    p.x,
    p.y,
    tip.offsetWidth,
    tip.offsetHeight,
    boxW,
    boxH,
    avoidFor(geo, hit),
  );
  tip.style.left = `${Math.round(left)}px`;
  tip.style.top = `${Math.round(top)}px`;
}

/**
 * The network's input features (a 2-D set's), as the data spec of the run on screen says them: the
 * frames are the run's, and the editor's spec may have been changed since it started. Before there is
 * a run (and no frame), the editor's spec.
 */
function useInputFeatures(): Feature2D[] | null {
  const runSpec = useRunStore((s) => s.runSpec);
  const specData = useSpecStore((s) => s.rest.data);
  const datasets = useCatalogStore((s) => s.catalog.datasets);
  const data = runSpec ? runSpec.data : specData;
  return useMemo(() => inputFeatures(data, datasets), [data, datasets]);
}

function NetworkViewImpl({ visible }: ViewProps) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const tipRef = useRef<HTMLDivElement | null>(null);
  const painter = useRef(new NetworkPainter());
  /** the pointer in CSS px of the canvas, null when it is not over the canvas */
  const pointer = useRef<Point | null>(null);
  /** bumped when what is under the pointer changes, so the diagram is drawn again with it outlined */
  const [hoverVersion, setHoverVersion] = useState(0);
  /** the hit a redraw has been asked for since the last drawing (asked once per change) */
  const pendingHit = useRef("");
  const features = useInputFeatures();
  const dropConnect = useThrottledFrameValue(visible, (f) => dropConnectLayers(f).length > 0, 2);
  const names = useMemo(() => features?.map((f) => FEATURE_LABEL[f]) ?? null, [features]);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useLiveDraw(visible, `${sizeVersion}|${hoverVersion}|${features?.join(",") ?? ""}`, (frame) => {
    const c = canvasRef.current;
    const { w, h } = size.current;
    if (!c || w < 10 || h < 10) return;
    const f = frame as FrameLike | null;
    const painted = painter.current.paint(c, w, h, f, pointer.current, features);
    pendingHit.current = painter.current.drawnHit;
    // For tests and tools: whether edges show individual weights ("weights"), bundles or both, the
    // features the input nodes show (comma-separated, "" for plain nodes), and where the nodes are (CSS
    // px of the canvas).
    if (painted) c.dataset.edgeMode = painted.mode;
    else delete c.dataset.edgeMode;
    const inputMaps = painted?.inputMaps?.join(",") ?? "";
    if (c.dataset.inputMaps !== inputMaps) c.dataset.inputMaps = inputMaps;
    // the node columns between the layers, and what this frame's masks crossed out
    c.dataset.nodeColumns = painted?.nodeColumns.join(",") ?? "";
    c.dataset.droppedUnits = String(painted?.droppedUnits ?? 0);
    c.dataset.droppedEdges = String(painted?.droppedEdges ?? 0);
    const geo = painter.current.geometry;
    const layout = geo
      ? JSON.stringify({
          node: geo.node,
          columns: geo.columns.map((col) => ({ id: col.id, x: col.x, ys: col.nodes.map((n) => n.y) })),
        })
      : "";
    if (c.dataset.layout !== layout) c.dataset.layout = layout;
    const tip = tipRef.current;
    if (!tip) return;
    const hit = painted?.hit ?? null;
    const content = painted
      ? tooltipContent(hit, { layers: painted.layers, step: f?.step, inputNames: names })
      : null;
    fillTooltip(tip, content, hitKey(hit));
    moveTooltip(tip, pointer.current, w, h, geo, hit);
  });

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const p = { x: e.clientX - r.left, y: e.clientY - r.top };
    pointer.current = p;
    const hit = painter.current.hitAt(p);
    const key = hitKey(hit);
    if (key !== painter.current.drawnHit) {
      // Drawn again (outline and tooltip) in the next animation frame; one re-render per change.
      if (key !== pendingHit.current) setHoverVersion((v) => v + 1);
      pendingHit.current = key;
    } else {
      const tip = tipRef.current;
      if (tip) moveTooltip(tip, p, size.current.w, size.current.h, painter.current.geometry, hit);
    }
  };
  const onPointerLeave = () => {
    pointer.current = null;
    if (tipRef.current) fillTooltip(tipRef.current, null, "");
    if (painter.current.drawnHit !== "" && pendingHit.current !== "") setHoverVersion((v) => v + 1);
    pendingHit.current = "";
  };
  // A hidden tab gets no pointerleave: forget the pointer, so the tab comes back without a stale tooltip.
  useEffect(() => {
    if (visible) return;
    pointer.current = null;
    if (tipRef.current) fillTooltip(tipRef.current, null, "");
  }, [visible]);

  return (
    <LiveView visible={visible} className="network-view" testId="view-network">
      <ViewToolbar>
        <span className="muted">
          Edges by weight (blue +, orange −, width ∝ |w|); neurons by activation. Point at one for its
          numbers. Between layers: BN, φ, dropout (✕ dropped this step).
          {dropConnect ? " Red dashes: weights DropConnect dropped this step." : null}
        </span>
      </ViewToolbar>
      <div className="view-canvas-box" ref={boxRef}>
        <canvas
          ref={canvasRef}
          data-testid="network-canvas"
          onPointerMove={onPointerMove}
          onPointerDown={onPointerMove}
          onPointerLeave={onPointerLeave}
        />
        <div ref={tipRef} className="network-tip" role="tooltip" data-testid="network-tooltip" />
      </div>
    </LiveView>
  );
}

export const NetworkView = memo(NetworkViewImpl);
