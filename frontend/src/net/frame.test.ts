import { describe, expect, it } from "vitest";
import { encode, ExtData } from "@msgpack/msgpack";
import { decodeFrame, EXT_FLOAT32, EXT_INT32, EXT_UINT32, FrameError } from "./frame";

function packed(type: number, arr: Uint32Array | Float32Array | Int32Array, offset = 0): ExtData {
  // Prefix bytes make the payload start at an unaligned offset inside its own buffer.
  const bytes = new Uint8Array(offset + arr.byteLength);
  bytes.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), offset);
  return new ExtData(type, bytes.subarray(offset));
}

function frame(extra: Record<string, unknown> = {}) {
  return {
    type: "tel",
    v: 1,
    run: "r7",
    seq: 42,
    step: 420,
    epoch: 3,
    loss: 0.21,
    val_loss: 0.25,
    accuracy: 0.91,
    layers: [
      {
        id: "h1",
        kind: "dense",
        activation: "tanh",
        n_in: 2,
        n_out: 8,
        z: {
          stats: { mean: 0.01, std: 0.9, rms: 0.9, min: -2.1, max: 2.3, frac_saturated: 0.12 },
          hist: {
            lo: -2.1,
            hi: 2.3,
            counts: packed(EXT_UINT32, new Uint32Array([3, 9, 14, 0, 1, 2, 3, 4, 2 ** 31 + 5]), 1),
          },
          loghist: { lo: -12, hi: 4, counts: [0, 1, 5], zeros: 0 },
        },
      },
    ],
    ...extra,
  };
}

describe("decodeFrame", () => {
  it("passes the recurrent layers through with their δ-through-time curves", () => {
    const curve = packed(EXT_FLOAT32, new Float32Array([1e-6, 1e-3, 0.5, 1, 1, 1, 1, 1]));
    const f = decodeFrame(
      encode(
        frame({
          recurrent: [
            { id: "m", kind: "lstm", units: 2, steps: 8, delta_through_time: { h: curve } },
            "not a layer",
          ],
        }),
      ),
    );
    expect(f.recurrent).toHaveLength(1);
    const layer = f.recurrent![0]!;
    expect(layer.id).toBe("m");
    expect(Array.from(layer.delta_through_time!.h!)[0]).toBeCloseTo(1e-6);
  });

  it("reads a frame without recurrent layers as recurrent null", () => {
    expect(decodeFrame(encode(frame())).recurrent).toBeNull();
  });

  it("decodes a tel frame with packed uint32 histogram counts", () => {
    const f = decodeFrame(encode(frame()));
    expect(f.run).toBe("r7");
    expect(f.seq).toBe(42);
    expect(f.loss).toBeCloseTo(0.21);
    const z = f.layers[0]!.z!;
    expect(z.hist!.counts).toBeInstanceOf(Uint32Array);
    expect(Array.from(z.hist!.counts)).toEqual([3, 9, 14, 0, 1, 2, 3, 4, 2 ** 31 + 5]);
    expect(z.loghist!.counts).toEqual([0, 1, 5]);
    expect(z.stats!.frac_saturated).toBeCloseTo(0.12);
  });

  it("decodes float32 and int32 packed arrays, nested inside lists", () => {
    const grid = [packed(EXT_FLOAT32, new Float32Array([0.5, -1.25, 2, 3, 4, 5, 6, 7]), 3)];
    const f = decodeFrame(
      encode(
        frame({
          boundary: { output: grid, idx: packed(EXT_INT32, new Int32Array([-1, 2, -3, 4, 5, 6, 7, 8]), 2) },
        }),
      ),
    );
    const boundary = f.boundary as unknown as { output: Float32Array[]; idx: Int32Array };
    const out = boundary.output[0]!;
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out.slice(0, 2))).toEqual([0.5, -1.25]);
    expect(Array.from(boundary.idx).slice(0, 3)).toEqual([-1, 2, -3]);
  });

  it("fills optional scalars with null and keeps unknown fields", () => {
    const f = decodeFrame(encode({ v: 1, run: "r1", seq: 0, step: 0, layers: [], extra: 7 }));
    expect(f.val_loss).toBeNull();
    expect(f.accuracy).toBeNull();
    expect(f.epoch).toBe(0);
    expect(f.extra).toBe(7);
  });

  it("rejects frames of another version, non-maps and garbage bytes", () => {
    expect(() => decodeFrame(encode({ ...frame(), v: 2 }))).toThrow(FrameError);
    expect(() => decodeFrame(encode([1, 2, 3]))).toThrow(FrameError);
    expect(() => decodeFrame(new Uint8Array([0xc1]))).toThrow(FrameError);
    expect(() => decodeFrame(encode({ ...frame(), type: "graph" }))).toThrow(FrameError);
  });

  it("rejects a packed array whose length is not a multiple of 4", () => {
    const bad = new ExtData(EXT_UINT32, new Uint8Array([1, 2, 3]));
    expect(() => decodeFrame(encode(frame({ bad })))).toThrow(FrameError);
  });
});
