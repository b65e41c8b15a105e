/**
 * The nodes without weights in the network diagram (pure): each batch norm, dropout, add or activation
 * node is a narrow column of its own in the gap between the two layer columns it sits between (a chain
 * z → batch norm → φ reads left to right), one marker per unit at its unit's height; dropout's markers
 * are crossed out where this step's mask dropped the unit for the first example. DropConnect's dropped
 * weights are the drawn edges to cross out.
 */
import { activationName, type LayerLike } from "../logic/frame";
import { interleave } from "../internals/model";
import { maskGrid, type NodeLike } from "../nodes/model";

/** A node placed in the gap after column `gap` (0 = the input column), `slot` of `of` in that gap. */
export interface GapNode {
  node: NodeLike;
  gap: number;
  slot: number;
  of: number;
}

/** Where each node goes: in the gap between the layer columns it is interleaved between. */
export function gapNodes(layers: readonly LayerLike[], nodes: readonly NodeLike[]): GapNode[] {
  const placed: GapNode[] = [];
  let gap = 0;
  let run: NodeLike[] = [];
  const flush = () => {
    run.forEach((node, slot) => placed.push({ node, gap, slot, of: run.length }));
    run = [];
  };
  for (const col of interleave(layers, nodes)) {
    if (col.node) {
      run.push(col.node);
    } else {
      flush();
      gap += 1;
    }
  }
  // nodes after the last layer (a dropout or activation at the output) sit right of it
  flush();
  return placed;
}

/** The short name on a node's column: what it does, readable from the back of a room. */
export function nodeGlyph(node: NodeLike): string {
  switch (node.kind) {
    case "batchnorm":
      return "BN";
    case "dropout":
      return "drop";
    case "add":
      return "+";
    case "activation": {
      const name = activationName(node.activation);
      return name === "sigmoid" ? "σ" : name === "tanh" ? "tanh" : name === "relu" ? "ReLU" : name;
    }
    default:
      return node.kind;
  }
}

/**
 * Dropout: for each of the first `shown` units, whether this step's mask dropped it for the first
 * example of the batch (true = dropped); null when the frame has no mask.
 */
export function droppedUnits(node: NodeLike, shown: number): boolean[] | null {
  const grid = maskGrid(node.mask);
  if (!grid) return null;
  const out: boolean[] = [];
  for (let u = 0; u < shown; u++) out.push(u < grid.cols ? !grid.kept[u] : false);
  return out;
}

/**
 * DropConnect: the drawn edges (W[to][from] with from < fromShown, to < toShown) whose weight this
 * step's mask dropped, as [from, to] pairs; empty when the layer has no mask.
 */
export function droppedEdges(layer: LayerLike, fromShown: number, toShown: number): [number, number][] {
  const grid = maskGrid(layer.drop_connect);
  if (!grid) return [];
  const out: [number, number][] = [];
  for (let to = 0; to < Math.min(toShown, grid.rows); to++) {
    for (let from = 0; from < Math.min(fromShown, grid.cols); from++) {
      if (!grid.kept[to * grid.cols + from]) out.push([from, to]);
    }
  }
  return out;
}
