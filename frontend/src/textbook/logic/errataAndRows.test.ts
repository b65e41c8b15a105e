import { describe, expect, it } from "vitest";
import { errataFor, inSection, parseErrata, sectionOf, type Erratum } from "./errata";
import { capRows, inlineRows, MAX_ROWS, rowsFromPreview, selectRows, traceRequest } from "./trace";
import type { RunSpec } from "../../spec/types";

const e = (example: string, quantity: string, preset: string | null = "p"): Erratum => ({
  example,
  quantity,
  slide_value: "1",
  correct_value: "2",
  preset,
});

describe("errata", () => {
  it("places each erratum beside its table", () => {
    expect(sectionOf(e("Power plant, logistic (Tables 4 and 8)", "SSE before and after one update"))).toBe(
      "outputs",
    );
    expect(sectionOf(e("Power plant, logistic (Table 5)", "z6, z7, z8 for d2"))).toBe("neurons");
    expect(sectionOf(e("Power plant, logistic (eq. 40)", "label of the derivative 0.2466"))).toBe("neurons");
    expect(sectionOf(e("Power plant, logistic (Tables 6 and 10)", "a_k in the rows for w7,3"))).toBe(
      "weights",
    );
    expect(sectionOf(e("Power plant, logistic (Table 7, eq. 45)", "Δw7,5 and the updated w7,5"))).toBe(
      "weights",
    );
    expect(sectionOf(e("Max-pool backward (eq. 103)", "δ_B"))).toBe("conv");
    expect(sectionOf(e("Power plant, ReLU (Figure 19)", "caption's data table"))).toBe("general");
  });
  it("filters by preset and parses defensively", () => {
    const all = parseErrata([e("a", "b", "x"), e("c", "d", "y"), { nonsense: true }, null]);
    expect(all).toHaveLength(2);
    expect(errataFor(all, "x")).toHaveLength(1);
    expect(errataFor(all, null)).toEqual([]);
    expect(inSection(all, "general")).toHaveLength(2);
  });
});

describe("rows for the trace", () => {
  const spec: RunSpec = {
    network: { nodes: [{ id: "x", kind: "input", shape: [2] }] },
    data: { dataset: "inline", inputs: [[1, 2]], targets: [[3]] },
    training: { loss: "cross_entropy", optimizer: { kind: "sgd", lr: 0.01 } },
  } as RunSpec;
  it("takes inline rows from the spec", () => {
    expect(inlineRows(spec)).toEqual({ inputs: [[1, 2]], targets: [[3]] });
    expect(inlineRows({ ...spec, data: { dataset: "power_plant" } })).toBeNull();
  });
  it("splits a table preview into inputs and targets", () => {
    const rows = rowsFromPreview({
      kind: "table",
      feature_names: ["t", "h"],
      target_names: ["out"],
      table: {
        columns: ["t", "h", "out"],
        rows: [
          [0.04, 0.81, 0.94],
          [0.84, 0.58, 0.13],
          [9, 9, 9],
        ],
        split: ["train", "train", "val"],
      },
    });
    expect(rows).toEqual({
      inputs: [
        [0.04, 0.81],
        [0.84, 0.58],
      ],
      targets: [[0.94], [0.13]],
      featureNames: ["t", "h"],
      targetNames: ["out"],
    });
    expect(typeof rowsFromPreview({ kind: "images" })).toBe("string");
  });
  it("traces at most eight examples and says how many there were", () => {
    const many = Array.from({ length: 20 }, (_, i) => [i, i]);
    const rows = capRows({ inputs: many, targets: many });
    expect(rows.inputs).toHaveLength(MAX_ROWS);
    expect(rows.of).toBe(20);
    expect(capRows({ inputs: [[1]], targets: [[1]] }).of).toBeUndefined();
  });
  it("asks for the book's summed gradient and float64", () => {
    const req = traceRequest(spec, { inputs: [[1, 2]], targets: [[3]] });
    expect(req).toMatchObject({
      loss: "cross_entropy",
      learning_rate: 0.01,
      dtype: "float64",
      reduction: "sum",
    });
    const mse = traceRequest({ ...spec, training: { loss: "mse" } }, { inputs: [], targets: [] });
    expect(mse.reduction).toBeUndefined();
    expect(traceRequest(spec, { inputs: [], targets: [] }, { reduction: "mean" }).reduction).toBe("mean");
  });
  it("traces a perceptron spec with the perceptron rule, sign units on ±1 labels", () => {
    const unit = (activation: string) =>
      ({
        ...spec,
        network: {
          nodes: [
            { id: "x", kind: "input", shape: [2] },
            { id: "y", kind: "dense", units: 1, activation: { kind: activation } },
          ],
        },
        training: { loss: "half_sse", trainer: "perceptron" },
      }) as typeof spec;
    const rows = { inputs: [[0, 1]], targets: [[0], [1]] };
    const step = traceRequest(unit("step"), rows);
    expect(step.rule).toBe("perceptron");
    expect(step.targets).toEqual([[0], [1]]);
    expect(traceRequest(unit("sign"), rows).targets).toEqual([[-1], [1]]);
    expect(traceRequest(spec, rows).rule).toBeUndefined();
  });
  it("keeps the examples a preset names, in its order", () => {
    const rows = { inputs: [[0], [1], [2]], targets: [[10], [11], [12]] };
    expect(selectRows(rows, [2, 0])).toEqual({ inputs: [[2], [0]], targets: [[12], [10]] });
    expect(selectRows(rows, null)).toBe(rows);
  });
});
