/**
 * Map server problems (JSON pointers into the RunSpec) onto what the editor shows: nodes, edges and
 * the data / training panels. Pure.
 */
import type { Problem, RunSpec } from "../spec/types";
import { edgeList } from "./compile";
import { edgeId } from "./types";

export type ProblemArea = "network" | "data" | "training" | "general";

export interface MappedProblems {
  byNode: Record<string, Problem[]>;
  byEdge: Record<string, Problem[]>;
  /** Problems that belong to a panel (data, training) or to the network as a whole. */
  byArea: Record<ProblemArea, Problem[]>;
}

function unescape(part: string): string {
  return part.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function splitPointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.split("/").slice(1).map(unescape);
}

/** The field a problem names inside a node, e.g. "units" for /network/nodes/2/units. */
export function fieldOf(problem: Problem): string | null {
  const parts = splitPointer(problem.pointer);
  return parts[0] === "network" && parts[1] === "nodes" && parts.length > 3 ? (parts[3] ?? null) : null;
}

export function mapProblems(problems: readonly Problem[], spec: RunSpec): MappedProblems {
  const out: MappedProblems = {
    byNode: {},
    byEdge: {},
    byArea: { network: [], data: [], training: [], general: [] },
  };
  const edges = edgeList(spec.network);
  for (const problem of problems) {
    const parts = splitPointer(problem.pointer);
    if (parts[0] === "network" && parts[1] === "nodes" && parts[2] !== undefined && /^\d+$/.test(parts[2])) {
      const node = spec.network.nodes[Number(parts[2])];
      if (node) {
        (out.byNode[node.id] ??= []).push(problem);
        continue;
      }
    }
    if (parts[0] === "network" && parts[1] === "edges" && parts[2] !== undefined && /^\d+$/.test(parts[2])) {
      const edge = edges[Number(parts[2])];
      if (edge) {
        (out.byEdge[edgeId(edge[0], edge[1])] ??= []).push(problem);
        continue;
      }
    }
    if (parts[0] === "data") out.byArea.data.push(problem);
    else if (parts[0] === "training") out.byArea.training.push(problem);
    else if (parts[0] === "network") out.byArea.network.push(problem);
    else out.byArea.general.push(problem);
  }
  // A node's problem that names an incoming connection (shape mismatch) also marks the edges into it.
  for (const [nodeId, list] of Object.entries(out.byNode)) {
    const shapeProblems = list.filter((p) => splitPointer(p.pointer).length === 3);
    if (shapeProblems.length === 0) continue;
    for (const [source, target] of edges) {
      if (target !== nodeId) continue;
      const mentions = shapeProblems.filter((p) => p.message.includes(`'${source}'`));
      if (mentions.length) (out.byEdge[edgeId(source, target)] ??= []).push(...mentions);
    }
  }
  return out;
}
