import { describe, expect, it } from "vitest";
import { fmtNum, fmtPct, fmtPow10, fmtRatio } from "./format";

describe("format", () => {
  it("writes powers of ten with superscripts", () => {
    expect(fmtPow10(1e-4)).toBe("10⁻⁴");
    expect(fmtPow10(2e-4)).toBe("10⁻⁴");
    expect(fmtRatio(0.05)).toBe("0.05");
    expect(fmtRatio(12.8)).toBe("12.8");
    expect(fmtRatio(3e5)).toBe("10⁵");
  });
  it("keeps numbers short", () => {
    expect(fmtNum(0)).toBe("0");
    expect(fmtNum(0.123456)).toBe("0.123");
    expect(fmtNum(2e-6)).toBe("2×10⁻⁶");
    expect(fmtNum(1e-6)).toBe("10⁻⁶");
    expect(fmtNum(-1.5e5)).toBe("-1.5×10⁵");
    expect(fmtNum(null)).toBe("–");
    expect(fmtPct(0.123)).toBe("12 %");
    expect(fmtPct(0.05)).toBe("5.0 %");
  });
});
