import { describe, expect, it } from "vitest";
import { defaultSpec } from "../spec/defaults";
import type { RunSpec } from "../spec/types";
import { checkSpec, decode, encode, queryFor, readQuery } from "./codec";

const powerPlant: RunSpec = {
  version: 1,
  network: {
    nodes: [
      { id: "x", kind: "input", shape: [2] },
      {
        id: "h1",
        kind: "dense",
        units: 3,
        activation: "sigmoid",
        weights: [
          [0.1, -0.2],
          [0.3, 0.4],
          [-0.5, 0.6],
        ],
        bias: [0.1, 0.2, 0.3],
      },
      { id: "h2", kind: "dense", units: 2, activation: "sigmoid" },
      { id: "y", kind: "dense", units: 1, activation: "sigmoid", label: "Leistung ⚡" },
    ],
  },
  data: { dataset: "power_plant", variant: "normalized" },
  training: { loss: "half_sse", optimizer: { kind: "sgd", lr: 0.2 }, batch_size: null },
  seed: 3,
  dtype: "float64",
};

describe("url codec", () => {
  it("round-trips a spec with weights, unicode labels and positions", () => {
    const text = encode({ spec: powerPlant, positions: { x: { x: 0.4, y: -10.6 } } });
    expect(text.startsWith("1.")).toBe(true);
    expect(text).toMatch(/^[0-9]+\.[A-Za-z0-9_-]+$/);
    const r = decode(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.spec).toEqual(powerPlant);
    expect(r.value.positions).toEqual({ x: { x: 0, y: -11 } });
  });

  it("round-trips the default spec through the query string", () => {
    const q = readQuery(queryFor({ spec: defaultSpec() }));
    const r = decode(q.s!);
    expect(r.ok && r.value.spec).toEqual(defaultSpec());
    expect(r.ok && r.value.positions).toBeNull();
  });

  it("is deterministic", () => {
    expect(encode({ spec: powerPlant })).toBe(encode({ spec: structuredClone(powerPlant) }));
  });

  it("rejects other versions, damaged text and invalid specs with plain messages", () => {
    const good = encode({ spec: powerPlant });
    expect(decode("2." + good.slice(2))).toEqual({
      ok: false,
      error: expect.stringContaining("another Glassnet version"),
    });
    expect(decode("nonsense").ok).toBe(false);
    expect(decode(good.slice(0, 20))).toEqual({ ok: false, error: expect.stringContaining("damaged") });
    const bad = { ...powerPlant, network: { nodes: [{ id: "x", kind: "lstm2" }] } } as unknown as RunSpec;
    const r = decode(encode({ spec: bad }));
    expect(r).toEqual({ ok: false, error: expect.stringContaining("unknown kind") });
  });

  it("checks edges, ids and scalar fields", () => {
    const withEdges = { ...powerPlant, network: { ...powerPlant.network, edges: [["x", "nope"]] } };
    expect(checkSpec(withEdges)).toMatch(/edge 0/);
    expect(checkSpec({ ...powerPlant, seed: -1 })).toMatch(/seed/);
    expect(checkSpec({ ...powerPlant, dtype: "float16" })).toMatch(/dtype/);
    expect(checkSpec({ ...powerPlant, network: { nodes: [{ id: "1bad", kind: "input" }] } })).toMatch(
      /invalid id/,
    );
    expect(checkSpec(powerPlant)).toBeNull();
  });
});
