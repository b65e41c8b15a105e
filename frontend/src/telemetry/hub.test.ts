import { describe, expect, it } from "vitest";
import { liveFrame, liveLayer, liveQuantity } from "../test/fixtures/frames";
import type { LiveFrame } from "../wire/frame";
import { TelemetryHub, SeriesSet } from "./hub";

function frame(seq: number, step: number, loss: number, extra: Partial<LiveFrame> = {}): LiveFrame {
  return liveFrame({
    seq,
    step,
    loss,
    layers: [
      liveLayer({
        id: "h1",
        delta: liveQuantity({ mean: 0, std: 1, rms: loss, min: -1, max: 1 }),
        update_ratio: 0.001 * seq,
      }),
    ],
    ...extra,
  });
}

describe("SeriesSet", () => {
  it("aligns series that appear late and ignores non-advancing steps", () => {
    const s = new SeriesSet<string>(8);
    s.push(1, { a: 1 });
    s.push(2, { a: 2, b: 20 });
    expect(s.push(2, { a: 3 })).toBe(false);
    expect(s.get("a")!.toArray()).toEqual([1, 2]);
    const b = s.get("b")!.toArray();
    expect(b[0]).toBeNaN();
    expect(b[1]).toBe(20);
  });
});

describe("TelemetryHub", () => {
  it("keeps the latest frame, bumps the version and records histories", () => {
    const hub = new TelemetryHub();
    hub.reset("r1");
    const v0 = hub.version;
    expect(hub.ingest(frame(1, 10, 0.5))).toBe(true);
    expect(hub.ingest(frame(2, 20, 0.4))).toBe(true);
    expect(hub.version).toBe(v0 + 2);
    expect(hub.latest!.seq).toBe(2);
    expect(hub.scalars.get("loss")!.toArray()).toEqual([0.5, 0.4]);
    expect(hub.scalars.step.toArray()).toEqual([10, 20]);
    const h1 = hub.layerHistory("h1")!;
    expect(h1.get("delta.rms")!.toArray()).toEqual([0.5, 0.4]);
    expect(h1.get("update_ratio")!.last()).toBeCloseTo(0.002);
  });

  it("drops stale and foreign frames and notifies listeners of accepted ones", () => {
    const hub = new TelemetryHub();
    hub.reset("r1");
    const seen: number[] = [];
    const off = hub.subscribe((f) => seen.push(f.seq));
    hub.ingest(frame(5, 50, 0.3));
    expect(hub.ingest(frame(4, 40, 0.9))).toBe(false);
    expect(hub.ingest(frame(6, 60, 0.2, { run: "other" }))).toBe(false);
    off();
    hub.ingest(frame(7, 70, 0.1));
    expect(seen).toEqual([5]);
  });

  it("backfills metrics and resets", () => {
    const hub = new TelemetryHub();
    const row = { epoch: 0, val_loss: null, accuracy: null, val_accuracy: null, lr: null };
    hub.ingestMetrics([
      { ...row, step: 1, loss: 1 },
      { ...row, step: 2, loss: 0.5, accuracy: 0.75 },
    ]);
    expect(hub.scalars.get("loss")!.toArray()).toEqual([1, 0.5]);
    expect(hub.scalars.get("accuracy")!.toArray()[1]).toBe(0.75);
    hub.reset("r2");
    expect(hub.scalars.length).toBe(0);
    expect(hub.latest).toBeNull();
    expect(hub.runId).toBe("r2");
  });
});
