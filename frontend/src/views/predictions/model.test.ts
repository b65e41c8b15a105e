import { describe, expect, it } from "vitest";
import {
  accuracy,
  accuracyText,
  cellColour,
  classLabel,
  confusionTotal,
  explainCell,
  imageOf,
  inputRows,
  inputSummary,
  niceTicks,
  numbers,
  outputBars,
  readPredictions,
  regressionSummary,
  rowFractions,
  samePredictions,
  scatterRange,
  splitLine,
  tableInputs,
  targetColumnCount,
  topK,
  type PredictionsData,
} from "./model";

const confusion = [
  [8, 2, 0],
  [1, 9, 0],
  [0, 0, 0],
];

function multiclassFrame(extra: Record<string, unknown> = {}) {
  return {
    run: "r1",
    step: 130,
    predictions: {
      split: "val",
      step: 125,
      epoch: 5,
      task: "multiclass",
      n: 20,
      class_names: ["low", "medium", "high"],
      correct: 17,
      confusion,
      scatter: null,
      examples: [{ index: 0, target: 1, predicted: 0, outputs: [0.6, 0.3, 0.1] }],
      ...extra,
    },
  };
}

describe("readPredictions", () => {
  it("reads a multiclass frame", () => {
    const p = readPredictions(multiclassFrame())!;
    expect(p.run).toBe("r1");
    expect(p.step).toBe(125);
    expect(p.task).toBe("multiclass");
    expect(p.classNames).toEqual(["low", "medium", "high"]);
    expect(p.confusion).toEqual(confusion);
    expect(p.examples[0]).toEqual({ index: 0, target: 1, predicted: 0, outputs: [0.6, 0.3, 0.1] });
  });

  it("turns msgpack's typed arrays into plain lists", () => {
    const frame = multiclassFrame({
      confusion: [new Uint32Array([8, 2, 0]), new Uint32Array([1, 9, 0]), [0, 0, 0]],
      examples: [{ index: 0, target: 1, predicted: 0, outputs: new Float32Array([0.5, 0.25, 0.25]) }],
    });
    const p = readPredictions(frame)!;
    expect(p.confusion).toEqual(confusion);
    expect(Array.isArray(p.examples[0]!.outputs)).toBe(true);
    expect(p.examples[0]!.outputs).toEqual([0.5, 0.25, 0.25]);
  });

  it("reads a regression scatter from typed arrays", () => {
    const p = readPredictions({
      predictions: {
        split: "train",
        step: 3,
        epoch: 3,
        task: "regression",
        n: 2,
        scatter: { target: new Float32Array([1, 2]), predicted: [1.5, 2] },
        examples: [],
      },
    })!;
    expect(p.run).toBeNull();
    expect(p.split).toBe("train");
    expect(p.scatter).toEqual({ target: [1, 2], predicted: [1.5, 2] });
    expect(p.confusion).toBeNull();
  });

  it("is null without predictions or with an unknown task", () => {
    expect(readPredictions(null)).toBeNull();
    expect(readPredictions({ predictions: null })).toBeNull();
    expect(readPredictions({ predictions: { task: "ranking" } })).toBeNull();
  });

  it("reads outputs that are not finite (None on the wire) as NaN", () => {
    const p = readPredictions(
      multiclassFrame({ examples: [{ index: 0, target: 1, predicted: 0, outputs: [null, 0.5, null] }] }),
    )!;
    expect(p.examples[0]!.outputs).toEqual([Number.NaN, 0.5, Number.NaN]);
    const r = readPredictions({
      predictions: {
        split: "val",
        step: 1,
        epoch: 1,
        task: "regression",
        n: 1,
        scatter: { target: [1], predicted: [null] },
        examples: [{ index: 0, target: 1, predicted: null, outputs: [null] }],
      },
    })!;
    expect(r.examples[0]!.predicted).toBeNaN();
    expect(r.scatter!.predicted).toEqual([Number.NaN]);
  });

  it("numbers() accepts arrays and typed arrays only", () => {
    expect(numbers([1, 2])).toEqual([1, 2]);
    expect(numbers(new Int32Array([-1, 3]))).toEqual([-1, 3]);
    expect(numbers("12")).toBeNull();
    expect(numbers(null)).toBeNull();
  });

  it("samePredictions compares what changes once an epoch", () => {
    const a = readPredictions(multiclassFrame());
    const b = readPredictions(multiclassFrame());
    expect(a).not.toBe(b);
    expect(samePredictions(a, b)).toBe(true);
    expect(samePredictions(a, readPredictions(multiclassFrame({ step: 150 })))).toBe(false);
    expect(samePredictions(a, readPredictions({ ...multiclassFrame(), run: "r2" }))).toBe(false);
    expect(samePredictions(a, null)).toBe(false);
  });
});

describe("labels and headlines", () => {
  it("names classes, falling back to the index", () => {
    expect(classLabel(["low", "high"], 1)).toBe("high");
    expect(classLabel(null, 3)).toBe("3");
    expect(classLabel(["a"], 4)).toBe("4");
  });

  it("writes the split line with the step the outputs were computed at", () => {
    const p = readPredictions(multiclassFrame())!;
    expect(splitLine(p)).toBe("validation split · 20 examples · at step 125 (epoch 5)");
    expect(splitLine({ ...p, split: "train", n: 1, step: 1200 })).toBe(
      "training split (no validation split) · 1 example · at step 1,200 (epoch 5)",
    );
  });

  it("computes and formats accuracy", () => {
    expect(accuracy({ correct: 175, n: 200 })).toBe(0.875);
    expect(accuracy({ correct: null, n: 200 })).toBeNull();
    expect(accuracy({ correct: 0, n: 0 })).toBeNull();
    expect(accuracyText(0.875)).toBe("87.5 %");
    expect(accuracyText(null)).toBe("–");
  });
});

describe("confusion matrix", () => {
  it("normalises each row by its true class's count", () => {
    expect(rowFractions(confusion)).toEqual([
      [0.8, 0.2, 0],
      [0.1, 0.9, 0],
      [0, 0, 0],
    ]);
    expect(confusionTotal(confusion)).toBe(20);
  });

  it("explains a cell in words", () => {
    expect(explainCell(confusion, ["low", "medium", "high"], 0, 1)).toBe(
      "2 examples of class low predicted as medium (20 % of class low)",
    );
    expect(explainCell(confusion, null, 1, 0)).toBe("1 example of class 1 predicted as 0 (10 % of class 1)");
    expect(explainCell(confusion, null, 1, 1)).toBe(
      "9 examples of class 1 predicted as 1 — right (90 % of class 1)",
    );
    expect(explainCell(confusion, null, 2, 2)).toBe("0 examples of class 2 predicted as 2 — right");
  });

  it("colours the diagonal blue and mix-ups vermillion, darker with the share", () => {
    expect(cellColour(0, true)).toEqual({ background: "#fff", ink: "#aaa" });
    expect(cellColour(1, true)).toEqual({ background: "rgb(0,114,178)", ink: "#fff" });
    expect(cellColour(1, false)).toEqual({ background: "rgb(213,94,0)", ink: "#fff" });
    const faint = cellColour(0.05, false);
    expect(faint.ink).toBe("#111");
    expect(faint.background).not.toBe("#fff");
  });
});

describe("output bars", () => {
  it("topK picks the largest, ties by index, NaN last", () => {
    expect(topK([0.1, 0.5, 0.2, 0.5], 3)).toEqual([1, 3, 2]);
    expect(topK([Number.NaN, 0.1], 2)).toEqual([1, 0]);
    expect(topK([1], 0)).toEqual([]);
  });

  it("shows p(class 1) for one binary unit", () => {
    expect(outputBars([0.8], ["no", "yes"])).toEqual([{ cls: 1, label: "yes", value: 0.8, length: 0.8 }]);
  });

  it("shows every class up to ten, in class order", () => {
    const bars = outputBars([0.1, 0.7, 0.2], null);
    expect(bars.map((b) => b.cls)).toEqual([0, 1, 2]);
    expect(bars.map((b) => b.label)).toEqual(["0", "1", "2"]);
  });

  it("shows the top three beyond ten classes", () => {
    const outputs = Array.from({ length: 12 }, (_, i) => (i === 11 ? 0.5 : i === 4 ? 0.3 : 0.02));
    expect(outputBars(outputs, null).map((b) => b.cls)).toEqual([11, 4, 0]);
  });

  it("clamps bar lengths to [0, 1]", () => {
    expect(outputBars([-0.5, 1.5], null).map((b) => b.length)).toEqual([0, 1]);
  });
});

describe("examples glue", () => {
  const base = readPredictions(multiclassFrame())!;

  it("counts target columns by task", () => {
    expect(targetColumnCount(base)).toBe(3);
    const binary: PredictionsData = {
      ...base,
      task: "binary",
      classNames: ["0", "1"],
      examples: [{ ...base.examples[0]!, outputs: [0.3] }],
    };
    expect(targetColumnCount(binary)).toBe(1);
    const regression: PredictionsData = {
      ...base,
      task: "regression",
      examples: [{ ...base.examples[0]!, outputs: [2.5] }],
    };
    expect(targetColumnCount(regression)).toBe(1);
  });

  it("splits the table into inputs and the target's name", () => {
    const t = tableInputs(
      { columns: ["ambient_temperature", "relative_humidity", "electrical_output"], rows: [[4, 2, 1]] },
      1,
    )!;
    expect(t.names).toEqual(["ambient_temperature", "relative_humidity"]);
    expect(t.rows).toEqual([[4, 2]]);
    expect(t.targetName).toBe("electrical_output");
    expect(tableInputs(undefined, 1)).toBeNull();
  });

  it("summarises inputs compactly", () => {
    expect(inputSummary(["x1", "x2"], [0.5, 1])).toBe("x1 0.5 · x2 1");
    expect(inputSummary(["a"], [1, 2, 3], 2)).toBe("a 1 · x2 2 · … (3 inputs)");
  });

  it("lists a tile's inputs with readable names, the rest counted", () => {
    expect(inputRows(["ambient_temperature", "relative_humidity"], [0.04, 0.8123])).toEqual({
      rows: [
        { name: "ambient temperature", value: "0.04" },
        { name: "relative humidity", value: "0.812" },
      ],
      more: 0,
    });
    const many = inputRows(["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5], 3);
    expect(many.rows.map((r) => r.name)).toEqual(["a", "b"]);
    expect(many.more).toBe(3);
    expect(inputRows(["a"], [1, 2, 3], 3).rows.map((r) => r.name)).toEqual(["a", "x2", "x3"]);
  });

  it("finds an example's image by its index", () => {
    const ex = {
      split: "val" as const,
      n: 200,
      kind: "images" as const,
      labels: [7],
      images: { height: 2, width: 2, encoding: "base64-uint8" as const, data: ["AAAAAA=="] },
      table: null,
      sequences: null,
    };
    expect(imageOf(ex, 0)).toEqual({ data: "AAAAAA==", width: 2, height: 2 });
    expect(imageOf(ex, 1)).toBeNull();
    expect(imageOf(null, 0)).toBeNull();
    expect(imageOf({ ...ex, kind: "table" }, 0)).toBeNull();
  });
});

describe("regression", () => {
  it("summarises the errors", () => {
    const s = regressionSummary([1, 2, 3], [1, 2, 5])!;
    expect(s.n).toBe(3);
    expect(s.rmse).toBeCloseTo(Math.sqrt(4 / 3));
    expect(s.mae).toBeCloseTo(2 / 3);
    expect(s.r2).toBeCloseTo(1 - 4 / 2);
    expect(s.nonFinite).toBe(0);
    expect(regressionSummary([2, 2], [1, 3])!.r2).toBeNull();
    // a diverged run's outputs arrive as None (read as NaN): left out and counted
    const d = regressionSummary([1, 2, 3], [1, Number.NaN, 3])!;
    expect(d.n).toBe(2);
    expect(d.nonFinite).toBe(1);
    expect(d.rmse).toBe(0);
    expect(regressionSummary([1], [Number.NaN])).toMatchObject({ n: 0, nonFinite: 1, r2: null });
    expect(regressionSummary([], [])).toBeNull();
  });

  it("shares one padded range between both axes", () => {
    expect(scatterRange([0, 10], [5, 5])).toEqual([-0.5, 10.5]);
    expect(scatterRange([3], [3])).toEqual([2, 4]);
    expect(scatterRange([], [])).toEqual([0, 1]);
    expect(scatterRange([Number.NaN, 1], [2, Infinity])).toEqual([0.95, 2.05]);
  });

  it("ticks at round values", () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.5, 10.5, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    // the power-plant outputs, 0.09-0.97: 0.2 apart rather than one lonely 0.5
    expect(niceTicks(0.09, 0.97, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(420, 495, 4)).toEqual([420, 440, 460, 480]);
    expect(niceTicks(-0.3, 0.3, 3)).toEqual([-0.2, 0, 0.2]);
    expect(niceTicks(1, 1)).toEqual([]);
  });
});
