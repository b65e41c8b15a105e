import { describe, expect, it } from "vitest";
import type { LayerLike } from "../logic/frame";
import type { NodeLike } from "../nodes/model";
import { droppedEdges, droppedUnits, gapNodes, nodeGlyph } from "./nodeColumns";

const layers: LayerLike[] = [{ id: "z1" }, { id: "z2" }, { id: "y" }];

describe("node columns of the network diagram", () => {
  it("puts each node in the gap between the layers it sits between, in chain order", () => {
    const nodes: NodeLike[] = [
      { id: "drop_in", kind: "dropout", inputs: ["x"] },
      { id: "bn1", kind: "batchnorm", inputs: ["z1"] },
      { id: "a1", kind: "activation", inputs: ["bn1"], activation: "sigmoid" },
      { id: "a2", kind: "activation", inputs: ["z2"], activation: "relu" },
    ];
    const placed = gapNodes(layers, nodes).map((g) => `${g.node.id}@${g.gap}:${g.slot}/${g.of}`);
    // gap 0 is between the input column and z1; gap 1 between z1 and z2; gap 2 between z2 and y
    expect(placed).toEqual(["drop_in@0:0/1", "bn1@1:0/2", "a1@1:1/2", "a2@2:0/1"]);
    expect(nodes.map(nodeGlyph)).toEqual(["drop", "BN", "σ", "ReLU"]);
  });

  it("crosses out the units dropout dropped for the first example", () => {
    const node: NodeLike = {
      id: "d",
      kind: "dropout",
      mask: { shape: [2, 4], full_shape: [10, 4], mask: [1, 0, 0, 1, 0, 0, 0, 0] },
    };
    expect(droppedUnits(node, 3)).toEqual([false, true, true]);
    expect(droppedUnits(node, 6)).toEqual([false, true, true, false, false, false]);
    expect(droppedUnits({ id: "d", kind: "dropout" }, 3)).toBeNull();
  });

  it("lists the drawn edges whose weight DropConnect dropped, as [from, to]", () => {
    const layer: LayerLike = {
      id: "h",
      drop_connect: { shape: [2, 3], full_shape: [2, 3], mask: [1, 0, 1, 0, 1, 1] },
    };
    expect(droppedEdges(layer, 3, 2)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(droppedEdges(layer, 1, 2)).toEqual([[0, 1]]);
    expect(droppedEdges({ id: "plain" }, 3, 2)).toEqual([]);
  });
});
