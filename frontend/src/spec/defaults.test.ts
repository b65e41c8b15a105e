import { describe, expect, it } from "vitest";
import { defaultSpec } from "./defaults";

describe("spec types", () => {
  it("the default spec is a plain JSON document", () => {
    expect(JSON.parse(JSON.stringify(defaultSpec()))).toEqual(defaultSpec());
  });
});
