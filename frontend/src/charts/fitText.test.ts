import { describe, expect, it } from "vitest";
import { fitText } from "./fitText";

// 10 px per character, "…" included
const measure = (s: string) => Array.from(s).length * 10;

describe("fitText", () => {
  const wordings = ["feature maps of conv1 — click a cell", "conv1 maps — click a cell", "conv1 maps"];

  it("keeps the longest wording that fits", () => {
    expect(fitText(wordings, 1000, measure)).toBe(wordings[0]);
    expect(fitText(wordings, 360, measure)).toBe(wordings[0]); // exactly as wide as the room
    expect(fitText(wordings, 359, measure)).toBe("conv1 maps — click a cell");
    expect(fitText(wordings, 100, measure)).toBe("conv1 maps");
  });

  it("cuts the shortest wording with an ellipsis when none fits, never wider than the room", () => {
    expect(fitText(wordings, 99, measure)).toBe("conv1 ma…");
    // no space before the ellipsis
    expect(fitText(["conv1 maps"], 70, measure)).toBe("conv1…");
    for (let w = 20; w < 100; w += 7) {
      const t = fitText(wordings, w, measure);
      expect(measure(t)).toBeLessThanOrEqual(w);
      expect(t.endsWith("…")).toBe(true);
    }
    expect(fitText(wordings, 20, measure)).toBe("c…");
  });

  it("draws nothing without room or wordings", () => {
    expect(fitText(wordings, 19, measure)).toBe("");
    expect(fitText(wordings, 0, measure)).toBe("");
    expect(fitText(wordings, Number.NaN, measure)).toBe("");
    expect(fitText([], 500, measure)).toBe("");
  });
});
