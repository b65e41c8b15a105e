import { describe, expect, it } from "vitest";
import { FrameTimeline } from "./timeline";

const f = (seq: number, run = "r1") => ({ run, seq, step: seq * 10 });

describe("FrameTimeline", () => {
  it("keeps only the newest frames and follows live by default", () => {
    const t = new FrameTimeline(3);
    for (let s = 1; s <= 5; s++) t.push(f(s));
    expect(t.length).toBe(3);
    expect(t.at(0)?.seq).toBe(3);
    expect(t.current()?.seq).toBe(5);
    expect(t.isLive).toBe(true);
    expect(t.index).toBe(2);
  });

  it("stays on the selected frame while new frames arrive", () => {
    const t = new FrameTimeline(4);
    for (let s = 1; s <= 4; s++) t.push(f(s));
    t.select(1);
    expect(t.current()?.seq).toBe(2);
    t.push(f(5));
    expect(t.current()?.seq).toBe(2);
    expect(t.index).toBe(0);
    t.push(f(6)); // seq 2 falls out of the window → the oldest retained frame is shown
    expect(t.current()?.seq).toBe(3);
    t.stepBy(1);
    expect(t.current()?.seq).toBe(4);
    t.live();
    expect(t.current()?.seq).toBe(6);
  });

  it("returns to live when the newest frame is selected, and clamps", () => {
    const t = new FrameTimeline(5);
    for (let s = 1; s <= 3; s++) t.push(f(s));
    t.select(-10);
    expect(t.index).toBe(0);
    t.select(99);
    expect(t.isLive).toBe(true);
  });

  it("ignores replays and resets on a new run", () => {
    const t = new FrameTimeline(5);
    t.push(f(1));
    t.push(f(2));
    expect(t.push(f(2))).toBe(false);
    t.select(0);
    t.push(f(1, "r2"));
    expect(t.length).toBe(1);
    expect(t.run).toBe("r2");
    expect(t.isLive).toBe(true);
  });

  it("finds frames by step and bumps its version on change", () => {
    const t = new FrameTimeline(10);
    const v0 = t.version;
    for (let s = 1; s <= 5; s++) t.push(f(s));
    expect(t.version).toBeGreaterThan(v0);
    expect(t.indexAtStep(35)).toBe(2);
    expect(t.indexAtStep(5)).toBe(-1);
    expect(t.indexAtStep(1000)).toBe(4);
  });
});
