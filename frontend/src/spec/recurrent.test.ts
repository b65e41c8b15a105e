import { describe, expect, it } from "vitest";
import { gateMatrices, withGateInit, zeroWeights } from "./recurrent";
import type { LstmNode, RnnNode } from "./types";

const rnn: RnnNode = { id: "r", kind: "rnn", units: 3 };
const lstm: LstmNode = { id: "m", kind: "lstm", units: 2 };

describe("gateMatrices", () => {
  it("gives an rnn W_hh [units][units] and W_hx [units][F]", () => {
    expect(gateMatrices(rnn, 2).map((m) => [m.key, m.rows, m.cols])).toEqual([
      ["hh", 3, 3],
      ["hx", 3, 2],
    ]);
  });

  it("gives each lstm gate [units][units + F], h_(t−1) columns first", () => {
    const m = gateMatrices(lstm, 1);
    expect(m.map((g) => g.key)).toEqual(["forget", "input", "candidate", "output"]);
    expect(m[0]!.columns).toEqual(["h1", "h2", "x1"]);
  });
});

describe("zeroWeights", () => {
  it("keys an lstm's biases by gate", () => {
    const { weights, bias } = zeroWeights(lstm, 1);
    expect(weights?.forget).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(bias).toMatchObject({ output: [0, 0] });
  });
});

describe("withGateInit", () => {
  it("sets one gate and drops it again when it is back to the defaults", () => {
    const set = withGateInit(lstm, "forget", { bias: 1 });
    expect(set.init).toEqual({ forget: { bias: 1 } });
    const withForget: LstmNode = { ...lstm, init: { forget: { bias: 1 } } };
    expect(withGateInit(withForget, "forget", { bias: null }).init).toBeNull();
  });

  it("writes an rnn's one initialiser unkeyed", () => {
    expect(withGateInit(rnn, "hidden", { recurrent: { scheme: "orthogonal" } }).init).toEqual({
      recurrent: { scheme: "orthogonal" },
    });
  });
});
