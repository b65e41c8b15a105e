import { describe, expect, it } from "vitest";
import { frameNoteLabel } from "./frameNote";

describe("frameNoteLabel", () => {
  it("is empty while frames come at the viewers' rate", () => {
    expect(frameNoteLabel(null)).toBe("");
    expect(frameNoteLabel("")).toBe("");
  });

  it("names the budget when frames cost too much on this network", () => {
    expect(frameNoteLabel("12 frames/s: a frame costs 9 ms on this network")).toBe("12 frames/s (budget)");
  });

  it("names the shared core when other runs take most of this run's core", () => {
    expect(
      frameNoteLabel("6 frames/s: a frame costs 2 ms on this network and this run gets 22 % of a core"),
    ).toBe("6 frames/s (shared core)");
  });
});
