import { describe, expect, it } from "vitest";
import { cellAt, clipField, inferOp, opFromNode, outSize, receptiveField } from "./receptiveField";

const conv3 = {
  kernel: [3, 3] as [number, number],
  stride: [1, 1] as [number, number],
  padding: [0, 0] as [number, number],
};

describe("receptive field", () => {
  it("matches the lecture's 6×6 image with a 3×3 filter, stride 1", () => {
    expect(receptiveField([conv3], 0, 0)).toEqual({ r0: 0, r1: 2, c0: 0, c1: 2 });
    // "rows 2–4 × cols 1–3" counted from 1
    expect(receptiveField([conv3], 1, 0)).toEqual({ r0: 1, r1: 3, c0: 0, c1: 2 });
    expect(outSize(6, 3, 1, 0)).toBe(4);
  });

  it("reaches into zero padding at the border", () => {
    const padded = { ...conv3, padding: [1, 1] as [number, number] };
    const f = receptiveField([padded], 0, 0);
    expect(f).toEqual({ r0: -1, r1: 1, c0: -1, c1: 1 });
    expect(clipField(f, 6, 6)).toEqual({ r0: 0, r1: 1, c0: 0, c1: 1, touchesPadding: true });
    expect(outSize(6, 3, 1, 1)).toBe(6);
  });

  it("composes conv → 2×2 max-pool → conv", () => {
    const pool = opFromNode({ kind: "maxpool2d", kernel: 2 })!;
    expect(pool).toEqual({ kernel: [2, 2], stride: [2, 2], padding: [0, 0] });
    // pool cell 0 covers conv rows 0–1 → input rows 0–3; second conv cell 0 covers pool 0–2 → input 0–7
    expect(receptiveField([conv3, pool], 0, 0)).toEqual({ r0: 0, r1: 3, c0: 0, c1: 3 });
    expect(receptiveField([conv3, pool, conv3], 0, 0)).toEqual({ r0: 0, r1: 7, c0: 0, c1: 7 });
    expect(receptiveField([conv3, pool, conv3], 1, 2)).toEqual({ r0: 2, r1: 9, c0: 4, c1: 11 });
  });

  it("reads RunSpec nodes and infers an op from sizes", () => {
    expect(opFromNode({ kind: "conv2d", kernel: [5, 3], stride: 2, padding: [2, 1] })).toEqual({
      kernel: [5, 3],
      stride: [2, 2],
      padding: [2, 1],
    });
    expect(opFromNode({ kind: "dense" })).toBeNull();
    expect(inferOp(28, 28, 26, 26)).toEqual(conv3);
  });

  it("maps a click in a drawn map to its cell", () => {
    expect(cellAt(0, 0, 100, 100, 4, 4)).toEqual({ row: 0, col: 0 });
    expect(cellAt(99, 30, 100, 100, 4, 4)).toEqual({ row: 1, col: 3 });
    expect(cellAt(100, 30, 100, 100, 4, 4)).toBeNull();
  });
});
