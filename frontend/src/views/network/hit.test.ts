import { describe, expect, it } from "vitest";
import { bucketOrder, hitKey, hitTest, segmentDistance, type HitGeometry } from "./hit";
import { diagramLayout, type ColumnLayout } from "./layout";
import { EDGE_LEVELS, edgePlan } from "./weights";

/** Columns by hand: x and the ys of their nodes. */
function columns(spec: [string, number, number[]][]): ColumnLayout[] {
  return spec.map(([id, x, ys]) => ({
    id,
    x,
    units: ys.length,
    shown: ys.length,
    nodes: ys.map((y, unit) => ({ layer: id, unit, x, y })),
  }));
}

// input (2 nodes at x = 100) → h (2 nodes at x = 300), nodes 20 px: edges run from x = 110 to x = 290.
// Edge 0→0 is horizontal at y = 100, edge 1→1 horizontal at y = 300, and the diagonals 0→1 and 1→0
// cross at (200, 200).
const cols = columns([
  ["input", 100, [100, 300]],
  ["h", 300, [100, 300]],
]);
// buckets [to·2 + from]: 0→0 weak +, 1→0 strong −, 0→1 weak −, 1→1 strong +
const geo: HitGeometry = { columns: cols, node: 20, buckets: [Int8Array.from([1, 7, -1, 7])] };

describe("segment distance", () => {
  it("is the perpendicular distance inside the segment and the distance to the nearer end outside", () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBe(3);
    expect(segmentDistance(-3, 4, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(13, 4, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(1, 1, 2, 2, 2, 2)).toBeCloseTo(Math.SQRT2); // a point
  });
});

describe("network diagram hit-testing", () => {
  it("finds the node whose square holds the pointer, before any edge", () => {
    expect(hitTest(geo, 100, 100)).toEqual({ kind: "node", column: 0, unit: 0 });
    expect(hitTest(geo, 309, 291)).toEqual({ kind: "node", column: 1, unit: 1 });
    // the node's right border, where its edges start: still the node
    expect(hitTest(geo, 110.5, 100)).toEqual({ kind: "node", column: 0, unit: 0 });
  });

  it("finds the nearest edge within the tolerance, W[to][from] of the layer between the columns", () => {
    expect(hitTest(geo, 150, 102)).toEqual({ kind: "edge", layer: 0, from: 0, to: 0 });
    expect(hitTest(geo, 250, 297)).toEqual({ kind: "edge", layer: 0, from: 1, to: 1 });
    // on the diagonal from input 1 (y 300) to h 0 (y 100), a quarter of the way along
    expect(hitTest(geo, 155, 250)).toEqual({ kind: "edge", layer: 0, from: 1, to: 0 });
    // next to the diagonal from input 0 to h 1, 3 px off (perpendicular)
    const t = 0.7;
    const x = 110 + 180 * t + 3 / Math.SQRT2;
    const y = 100 + 200 * t - 3 / Math.SQRT2;
    expect(hitTest(geo, x, y)).toEqual({ kind: "edge", layer: 0, from: 0, to: 1 });
  });

  it("answers nothing in empty space, beyond the tolerance or outside the canvas", () => {
    expect(hitTest(geo, 200, 130)).toBeNull(); // between the top edge and the diagonals
    expect(hitTest(geo, 150, 106)).toBeNull(); // 6 px off the top edge
    expect(hitTest(geo, 150, 106, 8)).toEqual({ kind: "edge", layer: 0, from: 0, to: 0 });
    expect(hitTest(geo, 40, 100)).toBeNull(); // left of the input column
    expect(hitTest(geo, NaN, 100)).toBeNull();
    expect(hitTest({ columns: [], node: 20, buckets: [] }, 10, 10)).toBeNull();
  });

  it("where edges cross, gives the one drawn on top (the stronger weight)", () => {
    // 1→0 (bucket −7) and 0→1 (bucket −1) cross at (200, 200)
    expect(hitTest(geo, 200, 200)).toEqual({ kind: "edge", layer: 0, from: 1, to: 0 });
    const swapped: HitGeometry = { ...geo, buckets: [Int8Array.from([1, -1, 7, 7])] };
    expect(hitTest(swapped, 200, 200)).toEqual({ kind: "edge", layer: 0, from: 0, to: 1 });
    // equal buckets: the first in drawing order (lower `to`)
    const equal: HitGeometry = { ...geo, buckets: [Int8Array.from([1, 3, 3, 1])] };
    expect(hitTest(equal, 200, 200)).toEqual({ kind: "edge", layer: 0, from: 1, to: 0 });
    // a nearer edge beats a stronger one: 2 px from the crossing along the weak diagonal 1→0 is ~2 px
    // off the strong one
    const len = Math.hypot(180, 200);
    const nearWeak = hitTest(swapped, 200 + (2 * 180) / len, 200 - (2 * 200) / len);
    expect(nearWeak).toEqual({ kind: "edge", layer: 0, from: 1, to: 0 });
  });

  it("stacks buckets as the painter strokes them: neutral, then + and − per width level", () => {
    expect(bucketOrder(0)).toBe(0);
    expect(bucketOrder(1)).toBe(1);
    expect(bucketOrder(-1)).toBe(2);
    expect(bucketOrder(2)).toBe(3);
    expect(bucketOrder(-EDGE_LEVELS)).toBe(2 * EDGE_LEVELS);
  });

  it("on overlapping nodes (a very short canvas) gives the nearest centre, ties to the one on top", () => {
    const crowded: HitGeometry = { columns: columns([["h", 100, [100, 110]]]), node: 20, buckets: [] };
    expect(hitTest(crowded, 100, 103)).toEqual({ kind: "node", column: 0, unit: 0 });
    expect(hitTest(crowded, 100, 108)).toEqual({ kind: "node", column: 0, unit: 1 });
    expect(hitTest(crowded, 100, 105)).toEqual({ kind: "node", column: 0, unit: 1 });
  });

  it("answers the whole bundle where a pair of columns is drawn as one", () => {
    const bundled: HitGeometry = { ...geo, buckets: [null] };
    expect(hitTest(bundled, 150, 102)).toEqual({ kind: "bundle", layer: 0 });
    expect(hitTest(bundled, 200, 200)).toEqual({ kind: "bundle", layer: 0 });
    expect(hitTest(bundled, 200, 130)).toBeNull();
  });

  it("hits every drawn edge of a real layout at its midpoint, with the plan's buckets", () => {
    const layers = [
      { id: "h1", kind: "dense", n_in: 2, n_out: 3, W_values: [1, -2, 3, -4, 5, -6] },
      { id: "y", kind: "dense", n_in: 3, n_out: 1, W_values: [0.5, 0.25, -1] },
    ];
    const lay = diagramLayout(layers, 640, 360, 2);
    const plan = edgePlan(
      layers,
      lay.columns.map((c) => c.shown),
    );
    const g: HitGeometry = { columns: lay.columns, node: lay.node, buckets: plan.buckets };
    const half = lay.node / 2;
    for (let layer = 0; layer < 2; layer++) {
      const from = lay.columns[layer];
      const to = lay.columns[layer + 1];
      for (const c of to.nodes) {
        for (const a of from.nodes) {
          // a point 30 % along the edge: away from where edges of the same layer cross
          const x = a.x + half + 0.3 * (c.x - half - (a.x + half));
          const y = a.y + 0.3 * (c.y - a.y);
          expect(hitTest(g, x, y)).toEqual({ kind: "edge", layer, from: a.unit, to: c.unit });
        }
      }
    }
  });

  it("names hits by a stable key", () => {
    expect(hitKey(null)).toBe("");
    expect(hitKey({ kind: "node", column: 2, unit: 0 })).toBe("node:2:0");
    expect(hitKey({ kind: "edge", layer: 1, from: 4, to: 2 })).toBe("edge:1:4:2");
    expect(hitKey({ kind: "bundle", layer: 3 })).toBe("bundle:3");
  });
});
