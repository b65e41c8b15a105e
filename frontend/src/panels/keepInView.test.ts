import { describe, expect, it } from "vitest";
import { giveBack, panAfterResize } from "./keepInView";

describe("panning the canvas when its pane resizes", () => {
  it("keeps the vertical centre when the height changes", () => {
    expect(panAfterResize({ w: 600, h: 400 }, { w: 600, h: 300 }, null)).toEqual({ dx: 0, dy: -50 });
    expect(panAfterResize({ w: 600, h: 300 }, { w: 600, h: 400 }, null)).toEqual({ dx: 0, dy: 50 });
  });

  it("keeps the left edge when the width changes and nothing is selected", () => {
    expect(panAfterResize({ w: 900, h: 400 }, { w: 600, h: 400 }, null)).toEqual({ dx: 0, dy: 0 });
  });

  it("brings a selected layer that the narrower pane would hide back into view", () => {
    const box = { x: 700, y: 100, w: 150, h: 70 };
    const { dx, dy } = panAfterResize({ w: 900, h: 400 }, { w: 600, h: 400 }, box);
    expect(dy).toBe(0);
    expect(box.x + dx + box.w).toBe(600 - 16);
  });

  it("does not move a selected layer that stays visible", () => {
    const box = { x: 100, y: 100, w: 150, h: 70 };
    expect(panAfterResize({ w: 900, h: 400 }, { w: 600, h: 400 }, box)).toEqual({ dx: 0, dy: 0 });
  });

  it("shows the start of a layer wider than the pane", () => {
    const box = { x: 50, y: 100, w: 700, h: 70 };
    const { dx } = panAfterResize({ w: 900, h: 400 }, { w: 600, h: 400 }, box);
    expect(box.x + dx).toBe(16);
  });

  it("keeps a selected layer inside a much shorter pane", () => {
    const box = { x: 100, y: 300, w: 150, h: 70 };
    const { dy } = panAfterResize({ w: 600, h: 400 }, { w: 600, h: 200 }, box);
    expect(box.y + dy + box.h).toBeLessThanOrEqual(200 - 16);
    expect(box.y + dy).toBeGreaterThanOrEqual(16);
  });
});

describe("giving back the pan when the pane widens again", () => {
  it("returns what was borrowed, at most the width gained", () => {
    expect(giveBack(-120, { w: 600, h: 400 }, { w: 900, h: 400 })).toBe(120);
    expect(giveBack(-400, { w: 600, h: 400 }, { w: 900, h: 400 })).toBe(300);
    expect(giveBack(0, { w: 600, h: 400 }, { w: 900, h: 400 })).toBe(0);
    expect(giveBack(-120, { w: 900, h: 400 }, { w: 600, h: 400 })).toBe(0);
  });
});
