import { describe, expect, it } from "vitest";
import { bookRound, formatNumber, MINUS, roundHalfAway } from "./format";

describe("roundHalfAway", () => {
  it("rounds half away from zero without binary noise", () => {
    expect(roundHalfAway(-0.00055, 4)).toBe(-0.0006);
    expect(roundHalfAway(0.00055, 4)).toBe(0.0006);
    expect(roundHalfAway(1.005, 2)).toBe(1.01);
    expect(roundHalfAway(0.0852, 4)).toBe(0.0852);
  });
  it("book rounding is 4 decimals", () => {
    expect(bookRound(0.08516581138610223)).toBe(0.0852);
    expect(bookRound(0.4989500015434973)).toBe(0.499);
  });
});

describe("formatNumber", () => {
  it("prints the book's decimals per quantity", () => {
    expect(formatNumber(0.08516581138610223, "book", "delta")).toBe("0.0852");
    expect(formatNumber(-0.004200000000000009, "book", "z")).toBe(`${MINUS}0.004200`);
    expect(formatNumber(0.04699632, "book", "grad")).toBe("0.04699632");
    expect(formatNumber(0.499, "book", "a")).toBe("0.4990");
    expect(formatNumber(-0.090307452, "book", "weight")).toBe(`${MINUS}0.090307452`);
    expect(formatNumber(0.1, "book", "weight")).toBe("0.10");
    expect(formatNumber(255, "book", "pixel")).toBe("255");
  });
  it("full precision keeps 10 significant digits", () => {
    expect(formatNumber(0.08516581138610223, "full", "delta")).toBe("0.08516581139");
    expect(formatNumber(-0.5, "full")).toBe(`${MINUS}0.5`);
    expect(formatNumber(0, "full")).toBe("0");
  });
  it("two decimals, and no negative zero", () => {
    expect(formatNumber(0.4715, "2")).toBe("0.47");
    expect(formatNumber(-0.0001, "2")).toBe("0.00");
    expect(formatNumber(-0.0, "book", "delta")).toBe("0.0000");
  });
  it("compact grids print integers without decimals", () => {
    expect(formatNumber(510, "book", "grad", true)).toBe("510");
    expect(formatNumber(-1, "book", "delta", true)).toBe(`${MINUS}1`);
    expect(formatNumber(0.5, "book", "delta", true)).toBe("0.5");
    expect(formatNumber(57.5, "book", "grad", true)).toBe("57.5");
    expect(formatNumber(0.08516581, "book", "delta", true)).toBe("0.0852");
  });
  it("non-finite values show as a dash", () => {
    expect(formatNumber(null, "book")).toBe("—");
    expect(formatNumber(Number.NaN, "full")).toBe("—");
    expect(formatNumber(Number.POSITIVE_INFINITY, "2")).toBe("—");
  });
});
