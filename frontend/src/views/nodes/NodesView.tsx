/**
 * Nodes: what the nodes without weights do to the values passing through them, live. Batch norm: the
 * values before and after, x̂, and its batch and running statistics with γ and β per feature. Dropout:
 * which units this step's mask dropped (and DropConnect: which weights). A residual add: the branches
 * meeting there and the δ it sends back into each (the same δ: the gradient splits unchanged), and
 * whether stochastic depth kept the branch. An activation node: z → a.
 */
import { memo, useRef, useState } from "react";
import { HistogramGrid } from "../../charts/histogramGrid";
import type { ViewProps } from "../../app/viewTypes";
import type { ScaleMode } from "../../charts/histAxis";
import { ScaleToggle } from "../ScaleToggle";
import { fmtNum } from "../../charts/format";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { useLiveChart } from "../useLiveChart";
import type { FrameLike } from "../logic/frame";
import { drawMaskGrid } from "./maskGrid";
import {
  addSplit,
  bnRows,
  dropConnectLayers,
  liveNodes,
  maskAxes,
  maskCaption,
  maskGrid,
  nodeHistModel,
  nodeTitle,
  type BnRow,
  type MaskLike,
  type NodeLike,
} from "./model";
import "./nodes.css";
import { ViewHint, ViewToolbar, LiveView } from "../ViewChrome";

const HINT =
  "Batch norm: x̂ = (x − μ_B)/√(σ²_B + ε), y = γ·x̂ + β; evaluation uses the running mean and variance. " +
  "Dropout keeps each unit with ρ and scales it by 1/ρ. An add passes its δ unchanged into every branch.";

type CardKind = "batchnorm" | "dropout" | "add" | "activation" | "dropconnect";
interface CardRef {
  id: string;
  kind: CardKind;
}

/** The cards to show, as a string (a stable value, so the card list re-renders only when it changes). */
function cardKey(frame: FrameLike | null): string {
  const nodes = liveNodes(frame).map((n) => `${n.kind}:${n.id}`);
  const layers = dropConnectLayers(frame).map((l) => `dropconnect:${l.id}`);
  return [...nodes, ...layers].join("|");
}

function parseCards(key: string): CardRef[] {
  if (!key) return [];
  return key.split("|").map((k) => {
    const at = k.indexOf(":");
    return { kind: k.slice(0, at) as CardKind, id: k.slice(at + 1) };
  });
}

function findNode(frame: FrameLike | null, id: string): NodeLike | null {
  return liveNodes(frame).find((n) => n.id === id) ?? null;
}

/** `read` of node `id` in the frame shown (4 times a second at most); `empty` while it has no such node. */
function useNodeValue<T>(visible: boolean, id: string, read: (node: NodeLike) => T, empty: T): T {
  return useThrottledFrameValue(
    visible,
    (f) => {
      const n = findNode(f, id);
      return n ? read(n) : empty;
    },
    4,
    id,
  );
}

function findMask(frame: FrameLike | null, card: CardRef): MaskLike | null {
  if (card.kind === "dropconnect") {
    return (frame?.layers ?? []).find((l) => l.id === card.id)?.drop_connect ?? null;
  }
  return findNode(frame, card.id)?.mask ?? null;
}

function MaskPanel({ card, visible }: { card: CardRef; visible: boolean }) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  const text = useThrottledFrameValue(
    visible,
    (f) => {
      const m = findMask(f, card);
      const axes = maskAxes(m, card.kind === "dropconnect" ? "dropconnect" : "dropout");
      return `${maskCaption(m)}${axes ? `\n${axes}` : ""}`;
    },
    4,
    `${card.kind}:${card.id}`,
  );
  useLiveDraw(visible, `${sizeVersion}`, (frame) => {
    const c = canvasRef.current;
    const { w, h } = size.current;
    if (!c || w < 10 || h < 10) return;
    const grid = maskGrid(findMask(frame, card));
    const rowLabel = card.kind === "dropconnect" ? (r: number) => `u${r + 1}` : (r: number) => `ex ${r + 1}`;
    drawMaskGrid(c, w, h, grid, rowLabel);
    // For tests and tools: the kept cells as 0/1 and how many were dropped, with the frame's step.
    c.dataset.mask = grid ? grid.kept.map((k) => (k ? "1" : "0")).join("") : "";
    c.dataset.dropped = grid ? String(grid.dropped) : "";
    c.dataset.step = frame ? String(frame.step) : "";
  });
  const [caption, axes] = text.split("\n");
  return (
    <>
      <p className="node-caption" data-testid="mask-caption">
        {caption}
      </p>
      {axes ? <p className="node-sub">{axes}</p> : null}
      <div className={`node-canvas-box mask-box ${card.kind}`} ref={boxRef}>
        <canvas ref={canvasRef} data-testid="mask-canvas" />
      </div>
      <p className="node-sub">
        <span className="swatch kept" /> kept <span className="swatch dropped">✕</span> dropped
      </p>
    </>
  );
}

function HistPanel({ id, visible, scale }: { id: string; visible: boolean; scale: ScaleMode }) {
  const { canvasRef, boxRef } = useLiveChart(
    (canvas) => new HistogramGrid(canvas),
    visible,
    scale,
    (c, frame) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const node = findNode(frame, id);
      const model = node ? nodeHistModel(node, scale) : null;
      if (!model || model.cols.length === 0) {
        c.reset();
        canvas.dataset.cols = "";
        return;
      }
      c.update(model);
      canvas.dataset.cols = model.cols.map((col) => col.label).join(",");
      canvas.dataset.step = frame ? String(frame.step) : "";
    },
  );
  return (
    <div className="node-canvas-box hist-box" ref={boxRef}>
      <canvas ref={canvasRef} data-testid="node-hist" />
    </div>
  );
}

/** Batch norm's table, after the feature: each column's head and the BnRow value it shows. */
const BN_COLUMNS: readonly (readonly [string, Exclude<keyof BnRow, "channel">])[] = [
  ["μ_B", "batchMean"],
  ["running μ", "runningMean"],
  ["σ²_B", "batchVar"],
  ["running σ²", "runningVar"],
  ["γ", "gamma"],
  ["β", "beta"],
];

function BatchNormTable({ id, visible }: { id: string; visible: boolean }) {
  const rows = useNodeValue(visible, id, bnRows, []);
  if (rows.length === 0) return null;
  return (
    <table className="bn-table" data-testid="bn-table">
      <thead>
        <tr>
          <th>feature</th>
          {BN_COLUMNS.map(([label]) => (
            <th key={label}>{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.channel}>
            <td>{r.channel + 1}</td>
            {BN_COLUMNS.map(([label, key]) => (
              <td key={label}>{fmtNum(r[key], 3)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddSplitText({ id, visible }: { id: string; visible: boolean }) {
  const split = useNodeValue(visible, id, addSplit, null);
  if (!split) return null;
  return (
    <div className="add-split" data-testid="add-split">
      <p className="node-caption">
        δ at the add: rms {fmtNum(split.delta, 3)} → sent into{" "}
        {split.branches.map((b, i) => (
          <span key={b.id} data-branch={b.id}>
            {i > 0 ? ", " : ""}
            {b.id} {fmtNum(b.deltaRms, 3)}
          </span>
        ))}
      </p>
      {split.branches.length > 0 && split.branches.every((b) => b.equal) ? (
        <p className="node-sub">the same δ into every branch: an add passes its δ on unchanged</p>
      ) : null}
      {split.keptText ? <p className="node-sub">{split.keptText}</p> : null}
    </div>
  );
}

function NodeCard({ card, visible, scale }: { card: CardRef; visible: boolean; scale: ScaleMode }) {
  const title = useThrottledFrameValue(
    visible,
    (f) => {
      if (card.kind === "dropconnect") return `${card.id} · DropConnect (dense weights)`;
      const n = findNode(f, card.id);
      return n ? nodeTitle(n) : card.id;
    },
    2,
    `${card.kind}:${card.id}`,
  );
  const masks = card.kind === "dropout" || card.kind === "dropconnect";
  return (
    <section
      className={`node-card ${card.kind}`}
      data-testid="node-card"
      data-node={card.id}
      data-kind={card.kind}
    >
      <h3>{title}</h3>
      {masks ? (
        <MaskPanel card={card} visible={visible} />
      ) : (
        <HistPanel id={card.id} visible={visible} scale={scale} />
      )}
      {card.kind === "batchnorm" ? <BatchNormTable id={card.id} visible={visible} /> : null}
      {card.kind === "add" ? <AddSplitText id={card.id} visible={visible} /> : null}
    </section>
  );
}

function NodesViewImpl({ visible }: ViewProps) {
  const [scale, setScale] = useState<ScaleMode>("linear");
  const key = useThrottledFrameValue(visible, cardKey, 4);
  const cards = parseCards(key);
  return (
    <LiveView visible={visible} className="nodes-view" testId="view-nodes">
      <ViewToolbar>
        <ScaleToggle scale={scale} onChange={setScale} />
      </ViewToolbar>
      <ViewHint text={HINT} />
      {cards.length === 0 ? (
        <p className="view-hint" data-testid="nodes-empty">
          This view shows batch norm, dropout, DropConnect, residual adds and activation nodes; the network
          has none (or no frame has arrived yet).
        </p>
      ) : (
        <div className="node-cards">
          {cards.map((c) => (
            <NodeCard key={`${c.kind}:${c.id}`} card={c} visible={visible} scale={scale} />
          ))}
        </div>
      )}
    </LiveView>
  );
}

export const NodesView = memo(NodesViewImpl);
