import { describe, expect, it } from "vitest";
import fixture from "./fixtures/cnnMaxPooling.json";
import {
  cellOrder,
  coverage,
  fieldSum,
  firstMax,
  isPaddingPixel,
  outputShape,
  outputSize,
  poolWindow,
  poolWinners,
  receptiveField,
  routeDelta,
  sharedWeightGradient,
  windowOf,
  type Geometry,
  type Pair,
} from "./conv";
import { convPart, convPhase, poolPart } from "./convTrace";
import { LECTURE_FOUR } from "../../test/fixtures/lectureFour";
import type { TraceResponse } from "./trace";

const IMAGE = LECTURE_FOUR;
const H_LINE = [0, 0, 0, 1, 1, 1, 0, 0, 0];
const valid: Geometry = { size: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [0, 0] };
const padded: Geometry = { ...valid, padding: [1, 1] };

function activation(g: Geometry, row: number, col: number, w: number[]): number {
  const products = receptiveField(g, row, col).map((p, idx) => (p.padding ? 0 : IMAGE[p.r]![p.c]!) * w[idx]!);
  return Math.max(0, fieldSum(products));
}

describe("convolution walk-through indexing", () => {
  it("output sizes follow ⌊(n + 2p − f)/s⌋ + 1", () => {
    expect(outputSize(6, 3, 1, 0)).toBe(4);
    expect(outputSize(6, 2, 1, 0)).toBe(5);
    expect(outputSize(6, 3, 1, 1)).toBe(6);
    expect(outputSize(6, 3, 3, 0)).toBe(2);
    expect(outputShape(padded)).toEqual([6, 6]);
    expect(cellOrder([2, 3])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
  });
  it("reproduces the lecture's activations 255 and 765", () => {
    expect(activation(valid, 0, 0, H_LINE)).toBe(255);
    expect(activation(valid, 2, 1, H_LINE)).toBe(765);
    const field = receptiveField(valid, 2, 1);
    expect(field.map((p) => IMAGE[p.r]![p.c])).toEqual([255, 0, 255, 255, 255, 255, 0, 0, 255]);
  });
  it("marks padding pixels", () => {
    const corner = receptiveField(padded, 0, 0);
    expect(corner.filter((p) => p.padding)).toHaveLength(5);
    expect(corner[4]).toMatchObject({ pr: 1, pc: 1, r: 0, c: 0, padding: false });
    expect(isPaddingPixel(padded, 0, 3)).toBe(true);
    expect(isPaddingPixel(padded, 7, 7)).toBe(true);
    expect(isPaddingPixel(padded, 6, 6)).toBe(false);
    expect(receptiveField(valid, 3, 3).some((p) => p.padding)).toBe(false);
  });
  it("counts coverage: corner 1 → 4 with padding, centre 9", () => {
    expect(coverage(valid)[0]![0]).toBe(1);
    expect(coverage(valid)[2]![2]).toBe(9);
    expect(coverage(padded)[0]).toEqual([4, 6, 6, 6, 6, 4]);
    expect(coverage(padded)[3]![3]).toBe(9);
  });
});

describe("pooling and routing", () => {
  const conv = fixture.trace.layers[0]!;
  const pool = fixture.trace.layers[1]!;
  const map = (conv.a as number[][][][])[0]![0]!;
  const g: Geometry = { size: [6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
  it("picks the first maximum in row-major order, like the trace", () => {
    expect(firstMax([0, 0, 0, 0])).toBe(0);
    expect(firstMax([0, 3, 3, 1])).toBe(1);
    const winners = poolWinners(map, g);
    expect(winners).toEqual((pool.winners as number[][][][][])[0]![0]);
    expect(winners[1]).toEqual([
      [3, 1],
      [3, 3],
      [3, 5],
    ]);
    expect(poolWindow(g, 1, 0)).toEqual([
      [2, 0],
      [2, 1],
      [3, 0],
      [3, 1],
    ]);
    expect(windowOf(g, 3, 1)).toEqual([1, 0]);
  });
  it("routes δ only to the winners", () => {
    const delta = (pool.delta as number[][][][])[0]![0]!;
    const winners = (pool.winners as number[][][][][])[0]![0] as Pair[][];
    const routed = routeDelta(delta, winners, [6, 6]);
    expect(routed).toEqual((pool.routed_delta as number[][][][])[0]![0]);
    expect(routed[3]).toEqual([0, 1, 0, 1, 0, 1]);
  });
  it("sums δ × patch over the neurons sharing the filter", () => {
    const delta = (conv.delta as number[][][][])[0]![0]!;
    const patches = (conv.receptive_fields!.patches as number[][][][][]).map((r) => r.map((c) => c[0]!));
    const { contributions, sum } = sharedWeightGradient(delta, patches);
    expect(contributions.map((c) => c.cell)).toEqual([
      [3, 1],
      [3, 3],
      [3, 5],
    ]);
    expect(sum).toEqual([
      [0, 510, 0],
      [510, 510, 510],
      [0, 255, 0],
    ]);
    expect(sum).toEqual((conv.grad_weights as number[][][][])[0]![0]);
  });
});

describe("unpacking the trace for the walk-through", () => {
  const trace = fixture.trace as unknown as TraceResponse;
  it("finds the conv layer, its geometry and the pool after it", () => {
    const conv = convPart(trace)!;
    expect(conv.layerIndex).toBe(0);
    expect(conv.geometry).toEqual({ size: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [1, 1] });
    expect(conv.paddedInput[0]).toHaveLength(8);
    expect(conv.a[0]![3]).toEqual([0, 255, 0, 255, 0, 255]);
    const pool = poolPart(trace, conv.layerIndex)!;
    expect(pool.kind).toBe("maxpool2d");
    expect(pool.geometry).toMatchObject({ size: [6, 6], kernel: [2, 2], stride: [2, 2] });
    expect(pool.winners![0]![1]![0]).toEqual([3, 1]);
  });
  it("maps the stepper's stage to the walk-through's view", () => {
    expect(convPhase({ kind: "idle" }, 0, 1)).toBe("input");
    expect(convPhase({ kind: "forward", layer: 0 }, 0, 1)).toBe("conv-forward");
    expect(convPhase({ kind: "forward", layer: 1 }, 0, 1)).toBe("pool-forward");
    expect(convPhase({ kind: "forward", layer: 3 }, 0, 1)).toBe("head-forward");
    expect(convPhase({ kind: "backward", layer: 3 }, 0, 1)).toBe("head-backward");
    expect(convPhase({ kind: "backward", layer: 1 }, 0, 1)).toBe("pool-backward");
    expect(convPhase({ kind: "backward", layer: 0 }, 0, 1)).toBe("conv-backward");
    expect(convPhase({ kind: "updated" }, 0, null)).toBe("update");
  });
  it("has nothing to show without a conv layer", () => {
    expect(convPart({ ...trace, layers: trace.layers.filter((l) => l.kind === "dense") })).toBeNull();
  });
});
