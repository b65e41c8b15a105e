import { describe, expect, it } from "vitest";
import {
  bookMatrix,
  bookWeightOrder,
  fromBookMatrix,
  layerWeights,
  matrixCell,
  matrixColumns,
  numberNeurons,
  valueOf,
  weightName,
} from "./numbering";

const net = numberNeurons(2, [3, 2, 1]);

describe("book numbering", () => {
  it("numbers inputs 1..n and continues through the layers", () => {
    expect(net.inputs).toEqual([1, 2]);
    expect(net.layers).toEqual([[3, 4, 5], [6, 7], [8]]);
  });
  it("names weights w_{i,k}: into i from k, bias k = 0", () => {
    expect(weightName(8, 6)).toBe("w8,6");
    const refs = layerWeights(net, 2);
    expect(refs.map((r) => [r.i, r.k, r.row, r.col])).toEqual([
      [8, 0, 0, -1],
      [8, 6, 0, 0],
      [8, 7, 0, 1],
    ]);
  });
  it("lists weights in Table 6's order: output layer first, neurons descending, bias first", () => {
    const names = bookWeightOrder(net).map((r) => weightName(r.i, r.k));
    expect(names.slice(0, 7)).toEqual(["w8,0", "w8,6", "w8,7", "w7,0", "w7,3", "w7,4", "w7,5"]);
    expect(names.at(-1)).toBe("w3,2");
    expect(names).toHaveLength(3 + 8 + 9);
  });
});

describe("matrix view", () => {
  const weights = [
    [-0.04, 0.1, 0.06],
    [0.2, 0.14, -0.09],
  ];
  const bias = [0.15, 0.12];
  it("puts the bias in column 0 and one row per neuron", () => {
    expect(bookMatrix(weights, bias)).toEqual([
      [0.15, -0.04, 0.1, 0.06],
      [0.12, 0.2, 0.14, -0.09],
    ]);
    expect(fromBookMatrix(bookMatrix(weights, bias))).toEqual({ weights, bias });
  });
  it("maps a matrix cell to the book's weight and back to storage", () => {
    const cell = matrixCell(net, 1, 1, 3);
    expect([cell.i, cell.k]).toEqual([7, 5]);
    expect(valueOf(weights, bias, cell)).toBe(-0.09);
    const b = matrixCell(net, 1, 0, 0);
    expect([b.i, b.k, b.col]).toEqual([6, 0, -1]);
    expect(valueOf(weights, bias, b)).toBe(0.15);
    expect(matrixColumns(net, 1)).toEqual([0, 3, 4, 5]);
    expect(matrixColumns(net, 0)).toEqual([0, 1, 2]);
    expect(() => matrixCell(net, 1, 5, 0)).toThrow(RangeError);
  });
});
