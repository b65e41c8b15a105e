import { describe, expect, it } from "vitest";
import { viewsFor } from "./ViewsArea";

describe("ViewsArea registry", () => {
  it("returns an array for each area even when no views are registered", () => {
    expect(Array.isArray(viewsFor("main"))).toBe(true);
    expect(Array.isArray(viewsFor("side"))).toBe(true);
  });
});
