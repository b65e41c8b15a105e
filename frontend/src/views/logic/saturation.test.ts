import { describe, expect, it } from "vitest";
import {
  layerZones,
  saturationZones,
  sigmoidThreshold,
  tanhThreshold,
  visibleZones,
  zoneLegend,
} from "./saturation";

const sig = (z: number) => 1 / (1 + Math.exp(-z));

describe("saturation zones", () => {
  it("puts the sigmoid threshold where σ′ is 2 % of its peak 0.25", () => {
    const t = sigmoidThreshold();
    expect(t).toBeCloseTo(5.2882, 3);
    const d = sig(t) * (1 - sig(t));
    expect(d / 0.25).toBeCloseTo(0.02, 6);
  });

  it("puts the tanh threshold where sech² = 0.02", () => {
    const t = tanhThreshold();
    expect(1 - Math.tanh(t) ** 2).toBeCloseTo(0.02, 8);
    expect(t).toBeCloseTo(2.644, 3);
  });

  it("shades both tails for sigmoid/tanh and z < 0 for ReLU", () => {
    const s = saturationZones("sigmoid");
    expect(s).toHaveLength(2);
    expect(s[0].to).toBeCloseTo(-5.288, 3);
    expect(s[1].from).toBeCloseTo(5.288, 3);
    expect(saturationZones({ kind: "tanh" })).toHaveLength(2);
    expect(saturationZones("relu")).toEqual([{ from: -Infinity, to: 0, kind: "dead" }]);
    expect(saturationZones("linear")).toEqual([]);
    expect(saturationZones(undefined)).toEqual([]);
    expect(saturationZones({ kind: "leaky_relu", slope: 0.1 })).toEqual([]);
    expect(saturationZones({ kind: "leaky_relu", slope: 0.001 })[0].kind).toBe("dead");
  });

  it("gives ELU and softplus a left-tail zone only", () => {
    const e = saturationZones("elu");
    expect(e).toHaveLength(1);
    expect(e[0].to).toBeCloseTo(Math.log(0.02), 8);
    const sp = saturationZones("softplus");
    expect(sig(sp[0].to)).toBeCloseTo(0.02, 8);
  });

  it("clips zones to the visible range", () => {
    const v = visibleZones(saturationZones("tanh"), -1, 5);
    expect(v).toHaveLength(1);
    expect(v[0].from).toBeCloseTo(2.644, 3);
    expect(v[0].to).toBe(5);
    expect(visibleZones(saturationZones("relu"), 1, 3)).toEqual([]);
  });

  it("explains the zone in words", () => {
    expect(zoneLegend("sigmoid")).toContain("5.29");
    expect(zoneLegend("relu")).toContain("dead");
    expect(zoneLegend("linear")).toBeNull();
  });
});

describe("layerZones", () => {
  it("prefers the engine's threshold from the frame", () => {
    const z = layerZones({ activation: "sigmoid", saturation_zone: [5.0] });
    expect(z.map((x) => [x.from, x.to])).toEqual([
      [-Infinity, -5],
      [5, Infinity],
    ]);
    expect(layerZones({ activation: "relu", saturation_zone: null })[0].kind).toBe("dead");
  });
});
