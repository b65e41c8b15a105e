import { describe, expect, it } from "vitest";
import fixture from "./fixtures/powerPlantLogistic.json";
import { bookRound, formatNumber } from "./format";
import { bookRoundingBlocker, roundLikeTheBook } from "./bookRounding";
import { buildBookModel, locateNeuron, neuronRows, outputRows, weightRows, type BookModel } from "./model";
import type { TraceResponse } from "./trace";

const trace = fixture.trace as unknown as TraceResponse;
const model = buildBookModel(trace, fixture.rows) as BookModel;

describe("book model of the power-plant trace", () => {
  it("numbers the 2-3-2-1 network as the book does", () => {
    expect(model.numbering.layers).toEqual([[3, 4, 5], [6, 7], [8]]);
    expect(locateNeuron(model, 8)).toEqual({ layer: 2, unit: 0 });
  });
  it("Table 4: predictions, errors, Error²", () => {
    const [row] = outputRows(model);
    expect(row!.neuron).toBe(8);
    expect(row!.prediction.map((p) => bookRound(p!))).toEqual([0.4715, 0.4718, 0.4717, 0.4716]);
    expect(bookRound(row!.error[1]!)).toBe(-0.3418);
    expect(bookRound(row!.dE_da[1]!)).toBe(0.3418);
  });
  it("Table 5: neuron 8 for d2 has δ = 0.0852 at 4 dp", () => {
    const n8 = neuronRows(model).find((r) => r.neuron === 8)!;
    expect(formatNumber(n8.delta[1], "book", "delta")).toBe("0.0852");
    expect(formatNumber(n8.z[1], "book", "z")).toBe("\u22120.113105");
    const n3 = neuronRows(model).find((r) => r.neuron === 3)!;
    expect(n3.z[1]).toBeCloseTo(-0.0042, 12);
  });
  it("Tables 6–8: per-example gradients, batch Δw and the updated weight", () => {
    const w75 = weightRows(model).find((r) => r.name === "w7,5")!;
    expect(w75.perExample[1]).toBeCloseTo(-0.00556647, 7);
    expect(w75.sum).toBeCloseTo(0.0015245, 6);
    expect(w75.perExample.reduce((s, v) => s! + v!, 0)).toBeCloseTo(w75.sum!, 12);
    expect(w75.before).toBe(-0.09);
    expect(w75.after).toBeCloseTo(-0.0903049, 6);
    const w80 = weightRows(model).find((r) => r.name === "w8,0")!;
    expect(w80.source).toEqual([1, 1, 1, 1]);
    expect(w80.perExample[1]).toBeCloseTo(0.08516581, 7);
  });
  it("loss before and after one step", () => {
    expect(model.loss).toBeCloseTo(0.1792198, 6);
    expect(model.lossAfter).toBeCloseTo(0.1789671, 6);
  });
});

describe("book rounding", () => {
  const book = roundLikeTheBook(model);
  it("applies to the logistic ½·SSE network", () => {
    expect(bookRoundingBlocker(model)).toBeNull();
    expect(bookRoundingBlocker({ ...model, lossFunction: "cross_entropy" })).toMatch(/SSE/);
  });
  it("reproduces the book's printed numbers", () => {
    const n = (neuron: number) => neuronRows(book).find((r) => r.neuron === neuron)!;
    expect(n(8).delta[1]).toBe(0.0852);
    expect(n(6).delta[1]).toBe(0.0025);
    expect(n(7).delta[1]).toBe(-0.0105);
    expect(n(3).delta[1]).toBe(-0.0006);
    expect(n(4).delta[1]).toBe(-0.0003);
    expect(n(5).delta[1]).toBe(0.0003);
    expect(n(6).z[1]).toBeCloseTo(0.207122, 6);
    expect(n(8).z[1]).toBeCloseTo(-0.113108, 6);
    expect(n(3).da_dz[1]).toBe(0.25);
    const w = (name: string) => weightRows(book).find((r) => r.name === name)!;
    expect(w("w8,6").perExample[1]).toBeCloseTo(0.04699632, 12);
    expect(w("w7,3").perExample[1]).toBeCloseTo(-0.0052395, 12);
    expect(w("w7,5").perExample.map((v) => Number(v!.toFixed(8)))).toEqual([
      0.0073008, -0.0055671, 0.0015702, -0.00176664,
    ]);
    expect(w("w7,5").sum).toBeCloseTo(0.00153726, 12);
    expect(w("w7,5").after).toBeCloseTo(-0.090307452, 12);
    expect(book.loss).toBeCloseTo(0.17921847, 10);
    expect(book.lossAfter).toBeCloseTo(0.17896823, 10);
    expect(book.outputsAfter.map((o) => o[0])).toEqual([0.4738, 0.4741, 0.474, 0.4739]);
  });
});

describe("book rounding of the ReLU network (Tables 11–12, eq. 50)", () => {
  // Same weights and data, every neuron a rectifier: recomputed from the weights alone.
  const relu: BookModel = { ...model, layers: model.layers.map((l) => ({ ...l, activation: "relu" })) };
  const book = roundLikeTheBook(relu);
  const n = (neuron: number) => neuronRows(book).find((r) => r.neuron === neuron)!;
  it("reproduces the printed d2 values, including the slide's rounded δ7", () => {
    expect(n(8).z[1]).toBeCloseTo(0.064314, 6);
    expect(n(8).delta[1]).toBe(-0.0657);
    expect(n(7).delta[1]).toBe(0.0329);
    expect(n(6).delta[1]).toBe(-0.0079);
    expect(n(5).delta[1]).toBe(-0.0034);
    expect(n(4).delta[1]).toBe(0);
    expect(n(3).delta[1]).toBe(0);
    expect(outputRows(book)[0]!.prediction).toEqual([0.0405, 0.0643, 0.0621, 0.0512]);
    expect(book.loss).toBeCloseTo(0.58336829, 8);
  });
});
