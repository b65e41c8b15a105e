import { describe, expect, it } from "vitest";
import {
  KEY_STEP,
  KEY_STEP_LARGE,
  MIN_CANVAS,
  MIN_VIEWS,
  clampViews,
  parseShare,
  viewsAfterKey,
  viewsHeight,
} from "./split";

describe("canvas / views split", () => {
  it("keeps both panes above their minimum", () => {
    expect(clampViews(10, 600)).toBe(MIN_VIEWS);
    expect(clampViews(590, 600)).toBe(600 - MIN_CANVAS);
    expect(clampViews(300.4, 600)).toBe(300);
  });

  it("shares a column too small for both minimums in proportion", () => {
    const total = MIN_VIEWS + MIN_CANVAS - 40;
    const views = clampViews(1000, total);
    expect(views).toBeGreaterThan(0);
    expect(views).toBeLessThan(total);
    expect(clampViews(0, total)).toBe(views);
    expect(clampViews(100, 0)).toBe(0);
  });

  it("gives the views at least half of a 720 px screen's column, and 45 % of a tall one", () => {
    const small = 610; // 720 px minus header, footer and splitter
    expect(viewsHeight(null, small) / small).toBeGreaterThanOrEqual(0.5);
    const tall = 970; // 1080 px
    expect(viewsHeight(null, tall)).toBe(Math.round(0.45 * tall));
  });

  it("applies a remembered share to any column height, clamped", () => {
    expect(viewsHeight(0.5, 800)).toBe(400);
    expect(viewsHeight(0.99, 800)).toBe(800 - MIN_CANVAS);
    expect(viewsHeight(0.01, 800)).toBe(MIN_VIEWS);
  });

  it("moves with the arrow keys (up grows the views), Shift for big steps, Home / End to the limits", () => {
    expect(viewsAfterKey("ArrowUp", false, 300, 800)).toBe(300 + KEY_STEP);
    expect(viewsAfterKey("ArrowDown", false, 300, 800)).toBe(300 - KEY_STEP);
    expect(viewsAfterKey("ArrowUp", true, 300, 800)).toBe(300 + KEY_STEP_LARGE);
    expect(viewsAfterKey("ArrowDown", true, 200, 800)).toBe(MIN_VIEWS);
    expect(viewsAfterKey("Home", false, 300, 800)).toBe(MIN_VIEWS);
    expect(viewsAfterKey("End", false, 300, 800)).toBe(800 - MIN_CANVAS);
    expect(viewsAfterKey("ArrowLeft", false, 300, 800)).toBeNull();
    expect(viewsAfterKey("a", false, 300, 800)).toBeNull();
  });

  it("reads back only shares strictly between 0 and 1", () => {
    expect(parseShare("0.55")).toBe(0.55);
    for (const bad of [null, "", " ", "0", "1", "-0.2", "1.5", "NaN", "Infinity", "half"])
      expect(parseShare(bad)).toBeNull();
  });
});
