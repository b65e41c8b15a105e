import { describe, expect, it } from "vitest";
import { formatExamples, parseExamples } from "./exampleText";

describe("parseExamples", () => {
  it("reads one row per line as [N][F]", () => {
    expect(parseExamples("0.5, 0.2\n0.1 0.9")).toEqual({
      ok: true,
      value: [
        [0.5, 0.2],
        [0.1, 0.9],
      ],
    });
  });

  it("reads steps split by | as sequences [N][T][F]", () => {
    expect(parseExamples("0, 1 | 1, 0 | 0, 0\n1, 1 | 0, 1 | 1, 0")).toEqual({
      ok: true,
      value: [
        [
          [0, 1],
          [1, 0],
          [0, 0],
        ],
        [
          [1, 1],
          [0, 1],
          [1, 0],
        ],
      ],
    });
  });

  it("refuses sequences of different lengths, naming the length", () => {
    const parsed = parseExamples("1 | 2 | 3\n1 | 2");
    expect(parsed).toEqual({ ok: false, error: "Each sequence needs the same number of steps (3)." });
  });

  it("refuses steps with different feature counts", () => {
    expect(parseExamples("1, 2 | 3").ok).toBe(false);
  });

  it("reads an empty text as no examples", () => {
    expect(parseExamples(" \n")).toEqual({ ok: true, value: null });
  });
});

describe("formatExamples", () => {
  it("writes sequences back in the form parseExamples reads", () => {
    const value = [
      [[0.5], [1]],
      [[2], [3]],
    ];
    const text = formatExamples(value);
    expect(text).toBe("0.5 | 1\n2 | 3");
    expect(parseExamples(text)).toEqual({ ok: true, value });
  });
});
