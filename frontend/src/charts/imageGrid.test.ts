import { describe, expect, it } from "vitest";
import { layoutTiles } from "./imageGrid";

describe("layoutTiles", () => {
  it("fits n square tiles as large as possible", () => {
    const l = layoutTiles({ x: 0, y: 0, w: 400, h: 100 }, 4, 10, 10, 0);
    expect(l.tile).toBe(100);
    expect(l.tiles.map((t) => t.x)).toEqual([0, 100, 200, 300]);
    const m = layoutTiles({ x: 0, y: 0, w: 200, h: 200 }, 4, 10, 10, 0);
    expect(m.tile).toBe(100);
    expect(m.tiles[3]).toEqual({ x: 100, y: 100, w: 100, h: 100 });
  });
  it("is empty for nothing to draw", () => {
    expect(layoutTiles({ x: 0, y: 0, w: 100, h: 100 }, 0, 3, 3).tiles).toEqual([]);
  });
});
