import { describe, expect, it } from "vitest";
import type { FrameLike, LayerLike } from "../logic/frame";
import { buildModel, interleave } from "./model";

const hist = { lo: -1, hi: 1, counts: [1, 2, 1] };
const q = (extra: object = {}) => ({
  stats: { std: 0.5, rms: 0.5, frac_nonfinite: 0, ...extra },
  hist,
  loghist: { ...hist, zeros: 3 },
});
const layer = (
  id: string,
  activation: string,
  zExtra: object = {},
  more: Partial<LayerLike> = {},
): LayerLike => ({
  id,
  kind: "dense",
  activation,
  n_in: 2,
  n_out: 3,
  W: q(),
  z: q(zExtra),
  a: q(),
  delta: q(),
  ...more,
});

describe("layer-internals grid model", () => {
  const frame: FrameLike = {
    layers: [
      layer("h1", "sigmoid", { frac_saturated: 0.7 }, { saturation_zone: [5.29], var_z_measured: 0.02 }),
      layer("h2", "relu", { frac_dead: 0.2 }),
      layer("y", "linear"),
    ],
  };

  it("lays out rows = quantities, columns = layers, with typeset labels", () => {
    const m = buildModel(frame, { rows: ["W", "z", "a", "delta"], scale: "linear", axis: "shared" });
    expect(m.rows.map((r) => r.label)).toEqual(["W", "z", "a", "δ"]);
    expect(m.cols.map((c) => c.label)).toEqual(["h1", "h2", "y"]);
    expect(m.cols[0].sublabel).toBe("sigmoid · 2→3");
    expect(m.cells[0][0]?.stat).toBe("σ 0.5");
  });

  it("shades saturation zones behind z and flags saturated / dead units", () => {
    const m = buildModel(frame, { rows: ["z"], scale: "linear", axis: "per-layer" });
    const [h1, h2, y] = m.cells[0];
    expect(h1?.zones?.map((z) => z.from)).toEqual([-Infinity, 5.29]);
    expect(h1?.note).toBe("saturated 70 %");
    expect(h1?.alert).toBe(true);
    expect(h1?.stat).toContain("var 0.02");
    expect(h2?.zones?.[0].kind).toBe("dead");
    expect(h2?.note).toBe("dead units 20 %");
    expect(h2?.alert).toBe(false);
    expect(y?.zones).toEqual([]);
  });

  it("uses the log-magnitude histogram in log mode and keeps the last layers when capped", () => {
    const m = buildModel(frame, { rows: ["W"], scale: "log", axis: "shared", maxLayers: 2 });
    expect(m.cols.map((c) => c.id)).toEqual(["h2", "y"]);
    expect((m.cells[0][0]?.hist as { zeros?: number }).zeros).toBe(3);
  });

  it("marks non-finite values and tolerates missing quantities", () => {
    const bad = layer("h1", "tanh");
    bad.delta = q({ frac_nonfinite: 0.5 });
    delete bad.a;
    const m = buildModel({ layers: [bad] }, { rows: ["a", "delta"], scale: "linear", axis: "shared" });
    expect(m.cells[0][0]).toBeNull();
    expect(m.cells[1][0]?.note).toBe("NaN/∞ 50 %");
    expect(buildModel(null, { rows: ["W"], scale: "linear", axis: "shared" }).cols).toEqual([]);
  });

  it("places each node right after the column it reads, with z = in, a = out and no W", () => {
    const nodes = [
      { id: "bn", kind: "batchnorm" as const, inputs: ["h1"], x: q(), y: q({ std: 1 }), delta: q() },
      {
        id: "phi",
        kind: "activation" as const,
        inputs: ["bn"],
        activation: "sigmoid",
        x: q({ frac_saturated: 0.4 }),
        y: q(),
      },
      { id: "sum", kind: "add" as const, inputs: ["h1", "h2"], y: q(), delta: q() },
      { id: "drop_in", kind: "dropout" as const, inputs: ["x"] },
    ];
    const layers = [layer("h1", "linear"), layer("h2", "tanh"), layer("y", "sigmoid")];
    const cols = interleave(layers, nodes).map((c) => (c.layer ?? c.node).id);
    expect(cols).toEqual(["drop_in", "h1", "bn", "phi", "h2", "sum", "y"]);
    const m = buildModel(
      { layers, nodes },
      { rows: ["W", "z", "a", "delta"], scale: "linear", axis: "shared", nodes: true },
    );
    const bn = m.cols.findIndex((c) => c.id === "bn");
    expect(m.cols[bn].sublabel).toBe("batch norm");
    expect(m.cells[0][bn]).toBeNull();
    expect(m.cells[2][bn]?.stat).toBe("σ 1");
    const phi = m.cols.findIndex((c) => c.id === "phi");
    expect(m.cols[phi].sublabel).toBe("φ sigmoid");
    expect(m.cells[1][phi]?.zones?.length).toBeGreaterThan(0);
    expect(m.cells[1][phi]?.note).toBe("saturated 40 %");
    // without the option the grid is the layers alone
    const plain = buildModel({ layers, nodes }, { rows: ["z"], scale: "linear", axis: "shared" });
    expect(plain.cols.map((c) => c.id)).toEqual(["h1", "h2", "y"]);
  });
});
