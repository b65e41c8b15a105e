import { describe, expect, it } from "vitest";
import { liveFrame } from "../../test/fixtures/frames";
import type { LiveFrame } from "../../wire/frame";
import { MAX_CURVES, sequenceColumns, sequenceModel } from "./sequence";

function withSequence(sequence: NonNullable<LiveFrame["predictions"]>["sequence"]): LiveFrame {
  return liveFrame({
    predictions: {
      split: "val",
      step: 10,
      epoch: 1,
      task: "regression",
      n: 4,
      class_names: null,
      correct: null,
      confusion: null,
      scatter: null,
      examples: [],
      sequence,
    },
  });
}

describe("sequenceModel", () => {
  it("is null when the outputs are not sequences", () => {
    expect(sequenceModel(liveFrame())).toBeNull();
  });

  it("keeps the first examples' target and predicted sequences, non-finite as gaps", () => {
    const examples = Array.from({ length: 5 }, (_, i) => ({
      index: i,
      target: [0, 0.5, 1],
      predicted: [0.1, null, 0.9],
    }));
    const model = sequenceModel(withSequence({ examples, text: null, generated: null }))!;
    expect(model.curves).toHaveLength(MAX_CURVES);
    expect(model.curves[0]!.predicted).toEqual([0.1, null, 0.9]);
    expect(model.text).toBeNull();
  });

  it("marks each predicted character right or wrong against the target", () => {
    const model = sequenceModel(
      withSequence({
        examples: [],
        text: [{ index: 0, target: "alice", predicted: "alace" }],
        generated: null,
      }),
    )!;
    expect(model.text![0]!.right).toEqual([true, true, false, true, true]);
  });
});

describe("sequenceColumns", () => {
  it("pairs target and prediction per example over t from 1", () => {
    const cols = sequenceColumns([{ index: 2, target: [1, 2], predicted: [1.5, null] }]);
    expect(cols).toEqual([
      [1, 2],
      [1, 2],
      [1.5, null],
    ]);
  });
});
