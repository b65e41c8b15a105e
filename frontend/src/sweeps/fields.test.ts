import { describe, expect, it } from "vitest";
import type { RunSpec } from "../spec/types";
import { axisName, commonFields, parseValues, shortRunName } from "./fields";

describe("parseValues", () => {
  it("reads numbers, names, null and JSON objects", () => {
    expect(parseValues('0.1, 1e-3, relu, null, {"scheme": "he", "gain": 2}').values).toEqual([
      0.1,
      0.001,
      "relu",
      null,
      { scheme: "he", gain: 2 },
    ]);
  });

  it("keeps commas inside objects and quotes", () => {
    expect(parseValues('"a,b", [1, 2]').values).toEqual(["a,b", [1, 2]]);
  });

  it("says what is wrong", () => {
    expect(parseValues("  ").error).toMatch(/at least one/);
    expect(parseValues("{oops").error).toMatch(/not valid JSON/);
  });
});

describe("commonFields", () => {
  const spec = {
    network: {
      nodes: [
        { id: "x", kind: "input", shape: [2] },
        { id: "h", kind: "dense", units: 4 },
        { id: "y", kind: "dense", units: 1 },
      ],
    },
  } as unknown as RunSpec;

  it("offers training fields and each weighted layer's width, activation and initialiser", () => {
    const pointers = commonFields(spec).map((f) => f.pointer);
    expect(pointers).toContain("/training/optimizer/lr");
    expect(pointers).toContain("/network/nodes/1/units");
    expect(pointers).toContain("/network/nodes/2/activation");
    expect(pointers).not.toContain("/network/nodes/0/units");
  });

  it("names an axis by its field or its pointer's last part", () => {
    expect(axisName("/network/nodes/1/units", commonFields(spec))).toBe("h: units");
    expect(axisName("/data/noise")).toBe("noise");
  });
});

describe("shortRunName", () => {
  it("keeps a sweep run's values and falls back to the id", () => {
    expect(shortRunName("sweep abc: lr=0.1 · units=4", "r1")).toBe("lr=0.1 · units=4");
    expect(shortRunName(null, "r1")).toBe("r1");
  });
});
