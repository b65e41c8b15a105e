import { describe, expect, it } from "vitest";
import { isRecurrentKind, isWeightedKind, learnsWeights, NODE_KINDS } from "./types";

describe("node kinds", () => {
  it("are dense and conv2d with a weight matrix, rnn, lstm and gru through time", () => {
    expect(NODE_KINDS.filter(isWeightedKind)).toEqual(["dense", "conv2d"]);
    expect(NODE_KINDS.filter(isRecurrentKind)).toEqual(["rnn", "lstm", "gru"]);
    expect(NODE_KINDS.filter(learnsWeights)).toEqual(["dense", "conv2d", "rnn", "lstm", "gru"]);
  });

  it("of a trace that the spec does not know learn nothing", () => {
    expect(learnsWeights("softmax")).toBe(false);
    expect(isRecurrentKind("softmax")).toBe(false);
  });
});
