import { describe, expect, it } from "vitest";
import { runFromLocation, runLink } from "./useClassroom";

describe("links to a run", () => {
  it("name the run by path", () => {
    expect(runFromLocation({ pathname: "/runs/abc123", search: "" })).toBe("abc123");
    expect(runFromLocation({ pathname: "/runs/abc123/", search: "?s=2.x" })).toBe("abc123");
  });

  it("or by the run parameter", () => {
    expect(runFromLocation({ pathname: "/", search: "?run=xyz" })).toBe("xyz");
  });

  it("and name nothing otherwise", () => {
    expect(runFromLocation({ pathname: "/", search: "?e=exp1" })).toBeNull();
    expect(runFromLocation({ pathname: "/runs/a/b", search: "" })).toBeNull();
  });

  it("are written as a path", () => {
    expect(runLink("http://host:8000", "abc")).toBe("http://host:8000/runs/abc");
  });
});
