import { describe, expect, it } from "vitest";
import { linkFor, readLink } from "./link";

const OVERLAY = { mode: "overlay", reference: null } as const;

describe("many-runs links", () => {
  it("reads a sweep or a comparison from the hash", () => {
    expect(readLink("#sweep=abc123XY")).toEqual({ sweep: "abc123XY" });
    expect(readLink("#compare=run1aaaa,run2bbbb")).toEqual({
      compare: ["run1aaaa", "run2bbbb"],
      view: OVERLAY,
    });
  });

  it("ignores what is not an id, and a comparison of one run", () => {
    expect(readLink("#compare=run1aaaa,../x")).toBeNull();
    expect(readLink("#sweep=<script>")).toBeNull();
    expect(readLink("")).toBeNull();
  });

  it("reads differences from a reference run, and ignores a reference not compared", () => {
    expect(readLink("#compare=a1111,b2222&hist=diff&ref=b2222")).toEqual({
      compare: ["a1111", "b2222"],
      view: { mode: "difference", reference: "b2222" },
    });
    expect(readLink("#compare=a1111,b2222&hist=diff&ref=c3333")).toMatchObject({
      view: { mode: "difference", reference: null },
    });
    expect(readLink("#compare=a1111,b2222&hist=bars")).toMatchObject({ view: OVERLAY });
  });

  it("writes the page's state, and nothing when it is closed", () => {
    const base = {
      open: true,
      tab: "compare" as const,
      sweepId: "sw111111",
      compareIds: ["a1111", "b2222"],
      compareMode: "overlay" as const,
      compareRef: "b2222",
    };
    expect(linkFor(base)).toBe("#compare=a1111,b2222");
    expect(linkFor({ ...base, tab: "sweep" })).toBe("#sweep=sw111111");
    expect(linkFor({ ...base, open: false })).toBe("");
    expect(readLink(linkFor(base))).toEqual({ compare: ["a1111", "b2222"], view: OVERLAY });
  });

  it("round-trips a comparison shown as differences", () => {
    const diff = {
      open: true,
      tab: "compare" as const,
      sweepId: null,
      compareIds: ["a1111", "b2222", "c3333"],
      compareMode: "difference" as const,
      compareRef: "c3333",
    };
    expect(linkFor(diff)).toBe("#compare=a1111,b2222,c3333&hist=diff&ref=c3333");
    expect(readLink(linkFor(diff))).toEqual({
      compare: diff.compareIds,
      view: { mode: "difference", reference: "c3333" },
    });
    expect(linkFor({ ...diff, compareRef: null })).toBe("#compare=a1111,b2222,c3333&hist=diff");
  });
});
