import type { Edge, Node } from "@xyflow/react";
import type { NodeSpec } from "../spec/types";

/** React Flow node data: the RunSpec node it stands for (its `id` equals the React Flow node id). */
export interface LayerData extends Record<string, unknown> {
  spec: NodeSpec;
}

export type LayerNode = Node<LayerData, "layer">;
export type LayerEdge = Edge;

export function edgeId(source: string, target: string): string {
  return `${source}->${target}`;
}
