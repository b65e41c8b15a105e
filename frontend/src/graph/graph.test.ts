import { describe, expect, it } from "vitest";
import type { NetworkSpec, RunSpec } from "../spec/types";
import { compileNetwork, edgeList, freshId, graphFromNetwork, topologicalOrder } from "./compile";
import {
  CARD_MAX_HEIGHT,
  CARD_MAX_WIDTH,
  cardsOverlap,
  COLUMN_GAP,
  layeredLayout,
  WRAP_AFTER_COLUMNS,
} from "./layout";
import { fieldOf, mapProblems, splitPointer } from "./problems";
import type { LayerEdge, LayerNode } from "./types";

const node = (
  id: string,
  x: number,
  spec: Record<string, unknown> = { kind: "dense", units: 2 },
): LayerNode => ({
  id,
  type: "layer",
  position: { x, y: 0 },
  data: { spec: { id, ...spec } as LayerNode["data"]["spec"] },
});
const edge = (s: string, t: string): LayerEdge => ({ id: `${s}->${t}`, source: s, target: t });

describe("graph ↔ RunSpec compilation", () => {
  it("orders nodes topologically regardless of array order, ties broken by canvas x", () => {
    const nodes = [
      node("y", 600),
      node("h1", 200),
      node("x", 0, { kind: "input", shape: [2] }),
      node("h2", 400),
    ];
    const edges = [edge("h2", "y"), edge("x", "h1"), edge("h1", "h2")];
    const net = compileNetwork(nodes, edges);
    expect(net.nodes.map((n) => n.id)).toEqual(["x", "h1", "h2", "y"]);
    expect(net.edges).toEqual([
      ["x", "h1"],
      ["h1", "h2"],
      ["h2", "y"],
    ]);
  });

  it("keeps a DAG with a residual add and appends cyclic nodes", () => {
    const nodes = [
      node("x", 0, { kind: "input", shape: [4] }),
      node("a", 100),
      node("b", 200),
      node("s", 300, { kind: "add" }),
    ];
    expect(topologicalOrder(nodes, [edge("x", "a"), edge("a", "b"), edge("b", "s"), edge("a", "s")])).toEqual(
      ["x", "a", "b", "s"],
    );
    expect(topologicalOrder(nodes, [edge("a", "b"), edge("b", "a")])).toEqual(["x", "s", "a", "b"]);
  });

  it("round-trips a spec without edges (chained in order) through the graph", () => {
    const spec: RunSpec = {
      version: 1,
      network: {
        nodes: [
          { id: "x", kind: "input", shape: [2] },
          { id: "h", kind: "dense", units: 3, activation: "sigmoid" },
          { id: "y", kind: "dense", units: 1 },
        ],
      },
    };
    expect(edgeList(spec.network)).toEqual([
      ["x", "h"],
      ["h", "y"],
    ]);
    const g = graphFromNetwork(spec.network);
    expect(g.nodes.map((n) => n.position.x)).toEqual([0, COLUMN_GAP, 2 * COLUMN_GAP]);
    const back = compileNetwork(g.nodes, g.edges);
    expect(back.nodes).toEqual(spec.network.nodes);
  });

  it("uses stored positions when every node has one", () => {
    const g = graphFromNetwork(
      {
        nodes: [
          { id: "x", kind: "input", shape: [2] },
          { id: "y", kind: "dense", units: 1 },
        ],
      },
      { x: { x: 5, y: 6 }, y: { x: 7, y: 180 } },
    );
    expect(g.nodes[1]!.position).toEqual({ x: 7, y: 180 });
  });

  it("gives fresh ids per kind", () => {
    expect(freshId("input", new Set())).toBe("x");
    expect(freshId("input", new Set(["x"]))).toBe("x1");
    expect(freshId("dense", new Set(["h1", "h2"]))).toBe("h3");
    expect(freshId("conv2d", new Set())).toBe("c1");
  });
});

describe("layered layout", () => {
  it("puts nodes in columns by longest-path depth and centres each column", () => {
    const nodes = ["x", "a", "b", "s"].map((id) => ({ id, position: { x: 0, y: 0 } }));
    const pos = layeredLayout(nodes, [edge("x", "a"), edge("a", "b"), edge("b", "s"), edge("x", "s")]);
    expect([pos.x!.x, pos.a!.x, pos.b!.x, pos.s!.x]).toEqual([0, 1, 2, 3].map((c) => c * COLUMN_GAP));
    const two = layeredLayout(nodes.slice(0, 3), [edge("x", "a"), edge("x", "b")]);
    expect(two.a!.x).toBe(two.b!.x);
    expect(two.a!.y).toBe(-two.b!.y);
  });

  it("keeps the widest and tallest cards apart, in chains and in branches", () => {
    // Five 100-unit layers (the initialisation presets) and a fan-out of three into a concat.
    const chain = ["x", "h1", "h2", "h3", "h4", "h5", "y"];
    const fan = ["x", "a", "b", "c", "cat"];
    for (const [ids, edges] of [
      [chain, chain.slice(1).map((id, i) => edge(chain[i]!, id))],
      [
        fan,
        [
          edge("x", "a"),
          edge("x", "b"),
          edge("x", "c"),
          edge("a", "cat"),
          edge("b", "cat"),
          edge("c", "cat"),
        ],
      ],
    ] as const) {
      const pos = Object.values(
        layeredLayout(
          ids.map((id) => ({ id, position: { x: 0, y: 0 } })),
          edges,
        ),
      );
      for (const [i, p] of pos.entries())
        for (const q of pos.slice(i + 1)) {
          const apart = Math.abs(p.x - q.x) >= CARD_MAX_WIDTH || Math.abs(p.y - q.y) >= CARD_MAX_HEIGHT;
          expect(apart, `${JSON.stringify(p)} vs ${JSON.stringify(q)}`).toBe(true);
        }
      expect(cardsOverlap(pos)).toBe(false);
    }
  });

  it("lays out stored positions that would put cards on top of each other", () => {
    const chain: NetworkSpec = {
      nodes: [
        { id: "x", kind: "input", shape: [2] },
        { id: "h1", kind: "dense", units: 100 },
        { id: "y", kind: "dense", units: 1 },
      ],
    };
    // Spaced for the old 210-px columns: a 100-unit card (up to 240 px wide) covered the next one.
    const old = { x: { x: 0, y: 0 }, h1: { x: 210, y: 0 }, y: { x: 420, y: 0 } };
    const laid = graphFromNetwork(chain, old).nodes.map((n) => n.position.x);
    expect(laid).toEqual([0, COLUMN_GAP, 2 * COLUMN_GAP]);
    // A deliberate arrangement that leaves every card room is kept as it is.
    const mine = { x: { x: 0, y: 0 }, h1: { x: 100, y: 200 }, y: { x: 500, y: 90 } };
    expect(graphFromNetwork(chain, mine).nodes.map((n) => n.position)).toEqual([mine.x, mine.h1, mine.y]);
  });

  it("survives cycles", () => {
    const nodes = ["a", "b"].map((id) => ({ id, position: { x: 0, y: 0 } }));
    const pos = layeredLayout(nodes, [edge("a", "b"), edge("b", "a")]);
    expect(Object.keys(pos).sort()).toEqual(["a", "b"]);
  });
});

describe("problem mapping", () => {
  const spec: RunSpec = {
    version: 1,
    network: {
      nodes: [
        { id: "x", kind: "input", shape: [1, 8, 8] },
        { id: "h1", kind: "dense", units: 3 },
        { id: "y", kind: "dense", units: 0 },
      ],
      edges: [
        ["x", "h1"],
        ["h1", "y"],
      ],
    },
  };

  it("puts node, field, edge, data and training problems where they belong", () => {
    const m = mapProblems(
      [
        {
          pointer: "/network/nodes/1",
          message:
            "dense 'h1' expects a 1-D input [n] but 'x' gives [1, 8, 8]; put a flatten node between them.",
        },
        { pointer: "/network/nodes/2/units", message: "'units' must be at least 1 (got 0)." },
        { pointer: "/network/edges/1/1", message: "edge 1 refers to unknown node" },
        { pointer: "/data/noise", message: "too noisy" },
        { pointer: "/training/loss", message: "bad loss" },
        { pointer: "/network/edges", message: "cycle" },
        { pointer: "", message: "not an object" },
      ],
      spec,
    );
    expect(Object.keys(m.byNode)).toEqual(["h1", "y"]);
    expect(m.byEdge["x->h1"]![0]!.message).toMatch(/flatten/);
    expect(m.byEdge["h1->y"]![0]!.message).toMatch(/unknown node/);
    expect(m.byArea.data).toHaveLength(1);
    expect(m.byArea.training).toHaveLength(1);
    expect(m.byArea.network).toHaveLength(1);
    expect(m.byArea.general).toHaveLength(1);
    expect(fieldOf(m.byNode.y![0]!)).toBe("units");
    expect(fieldOf(m.byNode.h1![0]!)).toBeNull();
  });

  it("unescapes RFC 6901 pointers", () => {
    expect(splitPointer("/data/a~1b/c~0d")).toEqual(["data", "a/b", "c~d"]);
    expect(splitPointer("")).toEqual([]);
  });
});

describe("layered layout of a deep network", () => {
  const chain = (depth: number) => {
    const ids = Array.from({ length: depth }, (_, i) => `n${i}`);
    return {
      nodes: ids.map((id) => ({ id, position: { x: 0, y: 0 } })),
      edges: ids.slice(1).map((id, i) => edge(ids[i]!, id)),
    };
  };

  it(`keeps up to ${WRAP_AFTER_COLUMNS} columns in one row`, () => {
    const { nodes, edges } = chain(WRAP_AFTER_COLUMNS);
    const pos = Object.values(layeredLayout(nodes, edges));
    expect(new Set(pos.map((p) => p.y)).size).toBe(1);
  });

  it("wraps a long chain into bands under each other, in order and without overlaps", () => {
    const { nodes, edges } = chain(37); // the twelve-block residual preset's depth
    const laid = layeredLayout(nodes, edges);
    const pos = nodes.map((n) => laid[n.id]!);
    const rows = [...new Set(pos.map((p) => p.y))];
    expect(rows.length).toBeGreaterThan(1);
    const widest = Math.max(...pos.map((p) => p.x)) + COLUMN_GAP;
    const tallest = Math.max(...pos.map((p) => p.y)) - Math.min(...pos.map((p) => p.y)) + CARD_MAX_HEIGHT;
    expect(widest / tallest).toBeLessThan((37 * COLUMN_GAP) / CARD_MAX_HEIGHT / 4);
    for (let i = 1; i < pos.length; i++) {
      const [a, b] = [pos[i - 1]!, pos[i]!];
      expect(b.y > a.y || (b.y === a.y && b.x === a.x + COLUMN_GAP)).toBe(true);
    }
    expect(cardsOverlap(pos)).toBe(false);
  });
});
