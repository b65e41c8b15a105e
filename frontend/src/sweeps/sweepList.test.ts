import { describe, expect, it } from "vitest";
import { axesLine, progressLine } from "./sweepList";

describe("axesLine", () => {
  it("names each axis with its values, axes joined by ×", () => {
    const fields = [{ pointer: "/training/optimizer/lr", label: "learning rate", example: "" }];
    expect(
      axesLine(
        [
          { pointer: "/training/optimizer/lr", values: [0.03, 0.3] },
          { pointer: "/network/nodes/1/activation", values: ["tanh", { kind: "leaky_relu" }] },
        ],
        fields,
      ),
    ).toBe('learning rate 0.03, 0.3 × activation tanh, {"kind":"leaky_relu"}');
  });

  it("cuts a long list of values and says how many there are", () => {
    expect(axesLine([{ pointer: "/seed", values: [0, 1, 2, 3, 4, 5, 6] }])).toBe("seed 0, 1, 2, 3, … (7)");
  });
});

describe("progressLine", () => {
  it("counts the runs and says only the parts that are not zero", () => {
    expect(progressLine({ total: 6, queued: 1, running: 2, ended: 3, finished: 3 })).toBe(
      "6 runs: 3 ended · 2 training · 1 queued",
    );
    expect(progressLine({ total: 1, queued: 0, running: 0, ended: 1, finished: 1 })).toBe("1 run: 1 ended");
  });
});
