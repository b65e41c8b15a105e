import { describe, expect, it } from "vitest";
import type { FrameLike, LayerLike } from "./frame";
import { diagnose, updateRatioDecadesOff } from "./warnings";

function layer(id: string, deltaRms: number, extra: Partial<LayerLike> = {}): LayerLike {
  return {
    id,
    kind: "dense",
    activation: "linear",
    W: { stats: { rms: 0.01, frac_nonfinite: 0 } },
    delta: { stats: { rms: deltaRms, frac_nonfinite: 0 } },
    ...extra,
  };
}

const frame = (layers: LayerLike[]): FrameLike => ({ run: "r1", seq: 1, step: 1, layers });

describe("gradient-flow diagnostics", () => {
  it("reports vanishing δ with the layer and the ratio in powers of ten", () => {
    // The σ = 0.01 initialisation of the lecture: δ shrinks ×0.1 (RMS) per layer toward the input.
    const d = diagnose(frame([layer("h1", 1e-6), layer("h2", 1e-5), layer("h3", 1e-4), layer("y", 1e-2)]));
    const v = d.find((x) => x.code === "vanishing");
    expect(v?.layer).toBe("h1");
    expect(v?.value).toBeCloseTo(1e-4, 12);
    expect(v?.message).toBe(
      "δ in layer h1 is 10⁻⁴ × the output layer's: gradients are vanishing; try Xavier/He init, ReLU, or batch norm.",
    );
  });

  it("reports exploding δ above 10× the output layer", () => {
    const d = diagnose(frame([layer("h1", 13), layer("h2", 4), layer("y", 1)]));
    const e = d.find((x) => x.code === "exploding");
    expect(e?.layer).toBe("h1");
    expect(e?.message).toContain("13 ×");
    expect(d.some((x) => x.code === "vanishing")).toBe(false);
  });

  it("stays quiet for a healthy network", () => {
    const d = diagnose(
      frame([
        layer("h1", 0.5, { update_ratio: 1e-3, var_z_measured: 1 }),
        layer("h2", 0.8, { update_ratio: 2e-3, var_z_measured: 0.9 }),
        layer("y", 1),
      ]),
    );
    expect(d).toEqual([]);
  });

  it("flags collapsing forward variance of z", () => {
    const d = diagnose(
      frame([
        layer("h1", 1, { var_z_measured: 2e-4 }),
        layer("h2", 1, { var_z_measured: 2e-6 }),
        layer("h3", 1, { var_z_measured: 2e-8 }),
        layer("y", 1),
      ]),
    );
    const z = d.find((x) => x.code === "z_vanishing");
    expect(z?.layer).toBe("h3");
    expect(z?.message).toContain("10⁻⁴ × layer h1's");
  });

  it("flags saturated sigmoid units and dead ReLUs", () => {
    const d = diagnose(
      frame([
        layer("h1", 1, { activation: "sigmoid", z: { stats: { frac_saturated: 0.7 } } }),
        layer("h2", 1, { activation: "relu", z: { stats: { frac_dead: 0.95 } } }),
        layer("h3", 1, { activation: "relu", z: { stats: { frac_dead: 0.5 } } }),
        layer("y", 1),
      ]),
    );
    expect(d.find((x) => x.code === "saturated")?.message).toContain(
      "70 % of the sigmoid units in layer h1 are",
    );
    expect(d.filter((x) => x.code === "dead_relu").map((x) => x.layer)).toEqual(["h2"]);
  });

  it("flags update-to-weight ratios far from 1e-3", () => {
    const d = diagnose(frame([layer("h1", 1, { update_ratio: 1e-7 }), layer("y", 1, { update_ratio: 0.5 })]));
    expect(d.find((x) => x.code === "update_small")?.layer).toBe("h1");
    expect(d.find((x) => x.code === "update_small")?.message).toContain(
      "Updates in layer h1 change W by as little as 10⁻⁷",
    );
    expect(d.find((x) => x.code === "update_large")?.layer).toBe("y");
    expect(updateRatioDecadesOff(1e-3)).toBeCloseTo(0, 12);
    expect(updateRatioDecadesOff(1e-5)).toBeCloseTo(2, 12);
    expect(updateRatioDecadesOff(0)).toBeNull();
  });

  it("merges the same condition in several layers into one line", () => {
    const d = diagnose(
      frame([
        layer("h1", 1, { update_ratio: 1e-7 }),
        layer("h2", 1, { update_ratio: 1e-8 }),
        layer("h3", 1, { activation: "tanh", z: { stats: { frac_saturated: 0.6 } } }),
        layer("h4", 1, { activation: "tanh", z: { stats: { frac_saturated: 0.9 } } }),
        layer("y", 1, { update_ratio: 1e-3 }),
      ]),
    );
    const small = d.filter((x) => x.code === "update_small");
    expect(small).toHaveLength(1);
    expect(small[0].layer).toBe("h2");
    expect(small[0].message).toContain("Updates in layers h1, h2 change W by as little as 10⁻⁸");
    const sat = d.filter((x) => x.code === "saturated");
    expect(sat).toHaveLength(1);
    expect(sat[0].message).toContain("90 % of the tanh units in layer h4 (also h3) are saturated");
  });

  it("puts non-finite values first, as errors", () => {
    const bad = layer("h2", 1);
    bad.delta = { stats: { rms: Number.NaN, frac_nonfinite: 0.25 } };
    const d = diagnose(frame([layer("h1", 1e-5), bad, layer("y", 1)]));
    expect(d[0].code).toBe("nonfinite");
    expect(d[0].severity).toBe("error");
    expect(d[0].message).toContain("25 % of δ in layer h2 is NaN or ∞:");
    const all = diagnose(frame([bad, { ...bad, id: "h3" }, { ...bad, id: "y" }]));
    expect(all.filter((x) => x.code === "nonfinite")).toHaveLength(1);
    expect(all[0].message).toContain("(and in 2 more layers)");
  });

  it("tolerates empty and partial frames", () => {
    expect(diagnose(null)).toEqual([]);
    expect(diagnose({ layers: [] })).toEqual([]);
    expect(
      diagnose(
        frame([
          { id: "h1", z: {} },
          { id: "y", delta: {} },
        ]),
      ),
    ).toEqual([]);
  });
});
