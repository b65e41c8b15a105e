import { describe, expect, it } from "vitest";
import serverCatalog from "../test/fixtures/catalog.json";
import { BUILTIN_CATALOG } from "./builtin";
import { layerKind, normalizeCatalog, normalizeParam } from "./normalize";

describe("normalizeCatalog (real GET /catalog answer)", () => {
  const c = normalizeCatalog(serverCatalog);

  it("lists every layer kind with its own parameters only", () => {
    expect(c.layers.map((l) => l.kind)).toEqual([
      "input",
      "dense",
      "conv2d",
      "maxpool2d",
      "avgpool2d",
      "flatten",
      "dropout",
      "batchnorm",
      "activation",
      "add",
      "concat",
    ]);
    expect(layerKind(c, "dense")!.params.map((p) => p.name)).toEqual(["units", "drop_connect"]);
    expect(layerKind(c, "activation")!.params).toEqual([]);
    expect(layerKind(c, "batchnorm")!.params.map((p) => p.name)).toEqual(["momentum", "eps"]);
    expect(layerKind(c, "dropout")!.params.find((p) => p.name === "keep_probability")).toMatchObject({
      type: "float",
      nullable: true,
      max: 1,
    });
    expect(layerKind(c, "dense")!.weighted).toBe(true);
    const conv = layerKind(c, "conv2d")!;
    expect(conv.params.map((p) => [p.name, p.type])).toEqual([
      ["filters", "int"],
      ["kernel", "pair"],
      ["stride", "pair"],
      ["padding", "pair"],
    ]);
    expect(layerKind(c, "input")!.params.find((p) => p.name === "shape")!.type).toBe("shape");
  });

  it("reads British spellings and keeps per-option parameters", () => {
    expect(c.optimizers.map((o) => o.name)).toContain("momentum_ema");
    expect(c.initializers.map((o) => o.name)).toContain("he_normal");
    expect(c.optimizers.find((o) => o.name === "adam")!.params.map((p) => p.name)).toContain("beta2");
    expect(c.activations.find((a) => a.name === "leaky_relu")!.params[0]!.name).toBe("slope");
    expect(c.losses.map((l) => l.name)).toEqual(["half_sse", "mse", "cross_entropy", "bce"]);
    expect(c.datasets.length).toBeGreaterThan(10);
    expect(c.datasets.find((d) => d.name === "circle")!.params.some((p) => p.name === "features")).toBe(true);
  });

  it("falls back to the built-in catalog for garbage", () => {
    expect(normalizeCatalog(null)).toBe(BUILTIN_CATALOG);
    expect(normalizeCatalog({ layers: 3 }).layers).toBe(BUILTIN_CATALOG.layers);
  });

  it("reads JSON-schema style bounds, enums and nullability", () => {
    expect(normalizeParam({ name: "lr", type: "number", exclusiveMinimum: 0, maximum: 100 })).toMatchObject({
      type: "float",
      min: 0,
      max: 100,
    });
    expect(
      normalizeParam({ name: "t", anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }] }),
    ).toMatchObject({ type: "int", nullable: true, min: 1 });
    expect(normalizeParam({ name: "m", type: "string", enum: ["a", "b"] })).toMatchObject({
      type: "select",
      options: ["a", "b"],
    });
  });
});
