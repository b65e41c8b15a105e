import { describe, expect, it } from "vitest";
import { defaultSpec } from "../spec/defaults";
import type { RunSpec } from "../spec/types";
import { checkSpec, CODEC_VERSION, decode, encode, queryFor, readQuery } from "./codec";

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

/** A link written by the uncompressed format 1 (before compression): it must keep opening. */
const OLD_LINK =
  "1.eyJ2IjoxLCJzcGVjIjp7InZlcnNpb24iOjEsIm5ldHdvcmsiOnsibm9kZXMiOlt7ImlkIjoieCIsImtpbmQiOiJpbnB1dCIsInNoYXBlIjpbMl19LHsiaWQiOiJoMSIsImtpbmQiOiJkZW5zZSIsInVuaXRzIjozLCJhY3RpdmF0aW9uIjoidGFuaCIsImxhYmVsIjoidmVyc3RlY2t0IMOkIn0seyJpZCI6InkiLCJraW5kIjoiZGVuc2UiLCJ1bml0cyI6MSwiYWN0aXZhdGlvbiI6InNpZ21vaWQifV19LCJkYXRhIjp7ImRhdGFzZXQiOiJ4b3IifSwic2VlZCI6N30sInBvcyI6eyJ4IjpbMCwwXSwiaDEiOlszMDAsMTBdLCJ5IjpbNjAwLDBdfX0";

describe("url codec", () => {
  it("round-trips a spec with weights, unicode labels and positions", async () => {
    const text = await encode({ spec: powerPlant, positions: { x: { x: 0.4, y: -10.6 } } });
    expect(text.startsWith(`${CODEC_VERSION}.`)).toBe(true);
    expect(text).toMatch(/^[0-9]+\.[A-Za-z0-9_-]+$/);
    const r = await decode(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.spec).toEqual(powerPlant);
    expect(r.value.positions).toEqual({ x: { x: 0, y: -11 } });
  });

  it("round-trips a recurrent network with per-gate weights and initialisers", async () => {
    const lstm: RunSpec = {
      version: 1,
      network: {
        nodes: [
          { id: "x", kind: "input", shape: [3, 1] },
          {
            id: "m",
            kind: "lstm",
            units: 1,
            return_sequences: false,
            init: { forget: { bias: 2, recurrent: { scheme: "orthogonal" } } },
            weights: { forget: [[0.5, 1]], input: [[0, 1]], candidate: [[1, 0]], output: [[0, 0.5]] },
            bias: { forget: [1], input: [0], candidate: [0], output: [0] },
          },
          { id: "r", kind: "rnn", units: 2, activation: "relu" },
          { id: "g", kind: "gru", units: 2 },
        ],
      },
      data: { dataset: "long_lag", lag: 3 },
      training: { loss: "half_sse", bptt: { truncate: 2 } },
    };
    const r = await decode(await encode({ spec: lstm }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.spec).toEqual(lstm);
  });

  it("round-trips the default spec through the query string", async () => {
    const q = readQuery(queryFor({ s: await encode({ spec: defaultSpec() }) }));
    const r = await decode(q.s!);
    expect(r.ok && r.value.spec).toEqual(defaultSpec());
    expect(r.ok && r.value.positions).toBeNull();
  });

  it("still opens uncompressed links of format 1", async () => {
    const r = await decode(OLD_LINK);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.spec.network.nodes[1]).toMatchObject({ id: "h1", units: 3, label: "versteckt ä" });
    expect(r.value.spec.seed).toBe(7);
    expect(r.value.positions).toEqual({ x: { x: 0, y: 0 }, h1: { x: 300, y: 10 }, y: { x: 600, y: 0 } });
  });

  it("compresses: a deep network's link is several times shorter than the plain JSON", async () => {
    const deep: RunSpec = {
      ...powerPlant,
      network: {
        nodes: [
          { id: "x", kind: "input", shape: [784] },
          ...[1, 2, 3, 4, 5].map((i) => ({
            id: `h${i}`,
            kind: "dense" as const,
            units: 100,
            activation: "tanh" as const,
          })),
          { id: "y", kind: "dense", units: 10, activation: "linear" },
        ],
      },
    };
    const positions = Object.fromEntries(deep.network.nodes.map((n, i) => [n.id, { x: 300 * i, y: 0 }]));
    const text = await encode({ spec: deep, positions });
    const plain = JSON.stringify({ v: CODEC_VERSION, spec: deep, pos: positions });
    expect(text.length).toBeLessThan(plain.length / 2);
    const r = await decode(text);
    expect(r.ok && r.value.spec).toEqual(deep);
  });

  it("is deterministic", async () => {
    expect(await encode({ spec: powerPlant })).toBe(await encode({ spec: structuredClone(powerPlant) }));
  });

  it("rejects other versions, damaged text and invalid specs with plain messages", async () => {
    const good = await encode({ spec: powerPlant });
    expect(await decode("3." + good.slice(2))).toEqual({
      ok: false,
      error: expect.stringContaining("another Glassnet version"),
    });
    expect((await decode("nonsense")).ok).toBe(false);
    expect(await decode(good.slice(0, 20))).toEqual({ ok: false, error: expect.stringContaining("damaged") });
    // A compressed payload under the plain format's number (and the reverse) is damaged, not accepted.
    expect(await decode("1." + good.slice(2))).toEqual({
      ok: false,
      error: expect.stringContaining("damaged"),
    });
    expect(await decode("2." + OLD_LINK.slice(2))).toEqual({
      ok: false,
      error: expect.stringContaining("damaged"),
    });
    const bad = { ...powerPlant, network: { nodes: [{ id: "x", kind: "lstm2" }] } } as unknown as RunSpec;
    const r = await decode(await encode({ spec: bad }));
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

describe("textbook mode in the query string", () => {
  it("round-trips the worked example and the place in the walk next to the setup", () => {
    const query = queryFor({
      s: "2.abc",
      textbook: {
        source: { kind: "preset", id: "kelleher-power-plant-relu-alpha-0.1" },
        stage: 5,
        example: 2,
      },
    });
    expect(query).toBe("?s=2.abc&tb=kelleher-power-plant-relu-alpha-0.1&tbs=5&tbx=2");
    expect(readQuery(query)).toEqual({
      s: "2.abc",
      e: null,
      textbook: {
        source: { kind: "preset", id: "kelleher-power-plant-relu-alpha-0.1" },
        stage: 5,
        example: 2,
      },
    });
  });

  it("writes the editor's network as a word and leaves out the start of the walk", () => {
    const query = queryFor({ e: "abc123", textbook: { source: { kind: "editor" }, stage: 0, example: 0 } });
    expect(query).toBe("?e=abc123&tb=editor");
    expect(readQuery(query).textbook).toEqual({ source: { kind: "editor" }, stage: 0, example: 0 });
  });

  it("is absent when closed, and old links without it still read", () => {
    expect(queryFor({ s: "2.abc", textbook: null })).toBe("?s=2.abc");
    expect(queryFor({})).toBe("");
    expect(readQuery(`?s=${OLD_LINK}`)).toEqual({ s: OLD_LINK, e: null, textbook: null });
  });

  it("ignores malformed textbook parameters instead of failing the link", () => {
    expect(readQuery("?tb=%3Cscript%3E").textbook).toBeNull();
    expect(readQuery("?tb=editor&tbs=-3&tbx=x").textbook).toEqual({
      source: { kind: "editor" },
      stage: 0,
      example: 0,
    });
  });
});
