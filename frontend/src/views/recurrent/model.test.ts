import { describe, expect, it } from "vitest";
import { liveFrame, liveQuantity, liveRecurrent } from "../../test/fixtures/frames";
import { gateSaturations, gatesModel, throughTime, throughTimeColumns, unrolledModel } from "./model";

const lstm = liveRecurrent({
  id: "m",
  kind: "lstm",
  gate_names: ["forget", "input", "candidate", "output"],
  steps: 3,
  delta_through_time: {
    h: new Float32Array([1e-6, 1e-3, 1]),
    forget: [1e-7, null, 0.5],
    input: [1e-7, 1e-4, 0.2],
    candidate: [2e-7, 2e-4, 0.4],
    output: [1e-8, 1e-5, 0.1],
  },
  diagnosis: { kind: "vanishing", ratio: 1e-6, message: "δ at step 1 is 10⁻⁶ of δ at step 3" },
});

describe("throughTime", () => {
  it("puts ∂L/∂h_t first and then each gate, against t from 1", () => {
    const tt = throughTime(lstm);
    expect(tt.t).toEqual([1, 2, 3]);
    expect(tt.series.map((s) => s.key)).toEqual(["h", "forget", "input", "candidate", "output"]);
    expect(tt.series[0]!.values[0]).toBeCloseTo(1e-6, 12);
    expect(tt.diagnosis?.kind).toBe("vanishing");
  });

  it("keeps a missing step as a gap in the columns", () => {
    const cols = throughTimeColumns(throughTime(lstm));
    expect(cols[0]).toEqual([1, 2, 3]);
    expect(cols[2]).toEqual([1e-7, null, 0.5]);
  });

  it("draws nothing for a layer before its first backward pass", () => {
    const tt = throughTime(liveRecurrent({ id: "r", kind: "rnn", gate_names: ["hidden"] }));
    expect(tt.series).toEqual([]);
    expect(tt.t).toEqual([1, 2, 3]);
  });
});

describe("gatesModel", () => {
  it("has one column per gate, then c and h, and rows W, z, a, δ", () => {
    const m = gatesModel(liveFrame({ recurrent: [lstm] }), { scale: "linear", axis: "shared" });
    expect(m.rows.map((r) => r.key)).toEqual(["W", "z", "a", "delta"]);
    expect(m.cols.map((c) => c.id)).toEqual(["m.forget", "m.input", "m.candidate", "m.output", "m.c", "m.h"]);
    // c and h are states: only their a row has a histogram
    expect(m.cells.map((row) => row[4] !== null)).toEqual([false, false, true, false]);
  });

  it("notes a sigmoid gate's share shut or open under its a, flagged past one half", () => {
    const layer = liveRecurrent({ id: "m", kind: "lstm", gate_names: ["forget"] });
    layer.gates.forget!.saturation = 0.8;
    const m = gatesModel(liveFrame({ recurrent: [layer] }), { scale: "linear", axis: "shared" });
    const a = m.cells[2]![0]!;
    expect(a.note).toBe("shut/open 80 %");
    expect(a.alert).toBe(true);
  });

  it("is empty for a network without recurrent layers", () => {
    expect(gatesModel(liveFrame(), { scale: "log", axis: "shared" }).cols).toEqual([]);
  });
});

describe("gateSaturations", () => {
  it("lists only the gates the engine measured", () => {
    const layer = liveRecurrent({ id: "g", kind: "gru", gate_names: ["reset", "update", "candidate"] });
    layer.gates.update!.saturation = 0.25;
    expect(gateSaturations(liveFrame({ recurrent: [layer] }))).toEqual([
      { layer: "g", gate: "update", saturation: 0.25 },
    ]);
  });
});

describe("unrolledModel", () => {
  it("has one row per layer's ∂L/∂h over the steps, on a shared log range", () => {
    const m = unrolledModel(liveFrame({ recurrent: [lstm] }), false);
    expect(m.steps).toBe(3);
    expect(m.rows.map((r) => r.key)).toEqual(["m.h"]);
    expect(m.logRange!.lo).toBeCloseTo(-6, 5);
    expect(m.logRange!.hi).toBeCloseTo(0, 5);
  });

  it("adds a row per gate on request", () => {
    const m = unrolledModel(liveFrame({ recurrent: [lstm] }), true);
    expect(m.rows).toHaveLength(5);
    expect(m.logRange!.lo).toBeCloseTo(-8, 5);
  });

  it("has no range when nothing is positive", () => {
    const flat = liveRecurrent({
      id: "r",
      kind: "rnn",
      gate_names: ["hidden"],
      delta_through_time: { h: [0, 0, 0] },
      h: liveQuantity(),
    });
    expect(unrolledModel(liveFrame({ recurrent: [flat] }), false).logRange).toBeNull();
  });
});

describe("unrolledModel coloured by the state", () => {
  it("gives one row of RMS h_t per recurrent layer, with its own legend", () => {
    const frame = liveFrame({
      recurrent: [
        liveRecurrent({ id: "m", kind: "lstm", gate_names: ["forget"], h_through_time: [0.1, 0.5, 0.9] }),
      ],
    });
    const m = unrolledModel(frame, true, "h");
    expect(m.rows).toEqual([{ key: "m.state", layer: "m", label: "m RMS h", values: [0.1, 0.5, 0.9] }]);
    expect(m.steps).toBe(3);
    expect(m.legend).toContain("RMS h_t");
    expect(unrolledModel(frame, false).legend).toContain("RMS δ");
  });
});
