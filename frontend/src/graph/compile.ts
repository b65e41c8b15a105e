/**
 * Pure conversions between the React Flow graph and RunSpec.network. No React imports.
 */
import type { Edge, NetworkSpec, NodeSpec, RunSpec } from "../spec/types";
import { edgeId, type LayerEdge, type LayerNode } from "./types";
import { cardsOverlap, layeredLayout } from "./layout";

/**
 * Topological order of node ids (Kahn), ties broken by canvas x then y so the spec reads left to right.
 * Nodes on a cycle are appended at the end in canvas order; the server reports the cycle.
 */
export function topologicalOrder(nodes: readonly LayerNode[], edges: readonly LayerEdge[]): string[] {
  const pos = new Map(nodes.map((n) => [n.id, n.position]));
  const byPosition = (a: string, b: string) => {
    const pa = pos.get(a)!;
    const pb = pos.get(b)!;
    return pa.x - pb.x || pa.y - pb.y || a.localeCompare(b);
  };
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  const succ = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target)) continue;
    indegree.set(e.target, indegree.get(e.target)! + 1);
    succ.get(e.source)!.push(e.target);
  }
  const ready = nodes.map((n) => n.id).filter((id) => indegree.get(id) === 0);
  ready.sort(byPosition);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of succ.get(id)!) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) {
        ready.push(next);
        ready.sort(byPosition);
      }
    }
  }
  const rest = nodes.map((n) => n.id).filter((id) => !order.includes(id));
  rest.sort(byPosition);
  return [...order, ...rest];
}

/** The network part of a RunSpec, nodes in topological order, edges explicit. */
export function compileNetwork(nodes: readonly LayerNode[], edges: readonly LayerEdge[]): NetworkSpec {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = topologicalOrder(nodes, edges);
  const rank = new Map(order.map((id, i) => [id, i]));
  const specNodes: NodeSpec[] = order.map((id) => ({ ...byId.get(id)!.data.spec, id }));
  const specEdges: Edge[] = edges
    .filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((e): Edge => [e.source, e.target])
    .sort((a, b) => rank.get(a[0])! - rank.get(b[0])! || rank.get(a[1])! - rank.get(b[1])!);
  return { nodes: specNodes, edges: specEdges };
}

/** Edges of a network, chaining nodes in order when `edges` is omitted (as the server does). */
export function edgeList(network: NetworkSpec): Edge[] {
  if (network.edges) return network.edges.map((e): Edge => [e[0], e[1]]);
  const out: Edge[] = [];
  for (let i = 1; i < network.nodes.length; i++) out.push([network.nodes[i - 1]!.id, network.nodes[i]!.id]);
  return out;
}

export type Positions = Record<string, { x: number; y: number }>;

/** React Flow nodes and edges for a network, laid out unless every node has a place and none overlap. */
export function graphFromNetwork(
  network: NetworkSpec,
  positions?: Positions | null,
): { nodes: LayerNode[]; edges: LayerEdge[] } {
  const edges: LayerEdge[] = edgeList(network).map(([source, target]) => ({
    id: edgeId(source, target),
    source,
    target,
  }));
  let nodes: LayerNode[] = network.nodes.map((spec) => ({
    id: spec.id,
    type: "layer",
    position: positions?.[spec.id] ?? { x: 0, y: 0 },
    data: { spec },
  }));
  const complete = positions && network.nodes.every((n) => positions[n.id]);
  if (!complete || cardsOverlap(nodes.map((n) => n.position))) {
    const laid = layeredLayout(nodes, edges);
    nodes = nodes.map((n) => ({ ...n, position: laid[n.id] ?? n.position }));
  }
  return { nodes, edges };
}

/** A whole RunSpec from the graph and the rest of the setup. */
export function compileSpec(
  nodes: readonly LayerNode[],
  edges: readonly LayerEdge[],
  rest: Omit<RunSpec, "network" | "version">,
): RunSpec {
  return { version: 1, network: compileNetwork(nodes, edges), ...rest };
}

/** A fresh id for a node of `kind` that is not in `taken` (x for input, h1.. for dense, c1.. for conv). */
export function freshId(kind: NodeSpec["kind"], taken: ReadonlySet<string>): string {
  const prefix: Record<NodeSpec["kind"], string> = {
    input: "x",
    dense: "h",
    conv2d: "c",
    maxpool2d: "mp",
    avgpool2d: "ap",
    flatten: "flat",
    dropout: "drop",
    batchnorm: "bn",
    activation: "phi",
    add: "add",
    concat: "cat",
    rnn: "rnn",
    lstm: "lstm",
    gru: "gru",
  };
  const p = prefix[kind];
  if (kind === "input" && !taken.has("x")) return "x";
  for (let i = 1; ; i++) if (!taken.has(`${p}${i}`)) return `${p}${i}`;
}
