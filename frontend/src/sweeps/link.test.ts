import { describe, expect, it } from "vitest";
import { linkFor, readLink } from "./link";

describe("many-runs links", () => {
  it("reads a sweep or a comparison from the hash", () => {
    expect(readLink("#sweep=abc123XY")).toEqual({ sweep: "abc123XY" });
    expect(readLink("#compare=run1aaaa,run2bbbb")).toEqual({ compare: ["run1aaaa", "run2bbbb"] });
  });

  it("ignores what is not an id, and a comparison of one run", () => {
    expect(readLink("#compare=run1aaaa,../x")).toBeNull();
    expect(readLink("#sweep=<script>")).toBeNull();
    expect(readLink("")).toBeNull();
  });

  it("writes the page's state, and nothing when it is closed", () => {
    const base = { open: true, tab: "compare" as const, sweepId: "sw111111", compareIds: ["a1111", "b2222"] };
    expect(linkFor(base)).toBe("#compare=a1111,b2222");
    expect(linkFor({ ...base, tab: "sweep" })).toBe("#sweep=sw111111");
    expect(linkFor({ ...base, open: false })).toBe("");
    expect(readLink(linkFor(base))).toEqual({ compare: ["a1111", "b2222"] });
  });
});
