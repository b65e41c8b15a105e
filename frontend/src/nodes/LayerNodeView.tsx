/** The card of one layer on the canvas: kind, id, size, activation, output shape and its problems. */
import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { CARD_MAX_WIDTH } from "../graph/layout";
import type { LayerNode } from "../graph/types";
import { useRunStore, useSpecStore } from "../store/context";
import { detailText, shapeText, sizeText } from "./summary";

const KIND_TITLE: Record<string, string> = {
  input: "Input",
  dense: "Dense",
  conv2d: "Conv 2-D",
  maxpool2d: "Max pool",
  avgpool2d: "Avg pool",
  flatten: "Flatten",
  dropout: "Dropout",
  batchnorm: "Batch norm",
  activation: "Activation φ",
  add: "Add",
  concat: "Concat",
};

const EMPTY: readonly never[] = [];

function LayerNodeViewInner({ id, data, selected }: NodeProps<LayerNode>) {
  const spec = data.spec;
  const problems = useSpecStore((s) => s.validation.mapped.byNode[id] ?? EMPTY);
  const shape = useSpecStore((s) => s.validation.shapes[id]);
  const params = useSpecStore((s) => s.validation.parameters[id]);
  // After a divergence, the layer that went non-finite first is marked (the engine's diagnosis).
  const failure = useRunStore((s) => (s.failure?.nodeId === id ? s.failure.message : null));
  const diverged = useRunStore(
    (s) => s.state === "diverged" && (s.diagnosis as { layer?: string } | null)?.layer === id,
  );
  const detail = detailText(spec);
  const size = sizeText(spec);
  return (
    <div
      className={`layer-node kind-${spec.kind}${selected ? " selected" : ""}${problems.length || diverged || failure ? " has-problem" : ""}`}
      data-testid={`node-${id}`}
      // The layout spaces its columns for this width (graph/layout.ts), so the cap lives there.
      style={{ maxWidth: CARD_MAX_WIDTH }}
      aria-label={`${KIND_TITLE[spec.kind] ?? spec.kind} ${id}`}
    >
      {spec.kind !== "input" ? <Handle type="target" position={Position.Left} /> : null}
      <div className="layer-node-head">
        <span className="layer-kind">{KIND_TITLE[spec.kind] ?? spec.kind}</span>
        <span className="layer-id">{spec.label || id}</span>
      </div>
      {size ? <div className="layer-size">{size}</div> : null}
      {detail ? <div className="layer-detail">{detail}</div> : null}
      <div className="layer-shape" title="output shape per example">
        → {shapeText(shape)}
        {params ? <span className="layer-params"> · {params.toLocaleString()} params</span> : null}
      </div>
      {diverged ? <div className="layer-problems">⚠ went non-finite first</div> : null}
      {failure ? <div className="layer-problems">⚠ {failure}</div> : null}
      {problems.length ? (
        <ul className="layer-problems" role="alert">
          {problems.slice(0, 2).map((p, i) => (
            <li key={i}>⚠ {p.message}</li>
          ))}
          {problems.length > 2 ? <li>… {problems.length - 2} more</li> : null}
        </ul>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const LayerNodeView = memo(LayerNodeViewInner);

/** Module constant, as React Flow requires for stable node types. */
export const nodeTypes = { layer: LayerNodeView };
