import { describe, expect, it } from "vitest";
import { TelemetryHub, type LiveFrame } from "../telemetry";
import { liveFrame } from "../test/fixtures/frames";
import { createViewState, currentFrame } from "./state";

const frame = (seq: number, run = "r1"): LiveFrame =>
  liveFrame({ run, seq, step: seq * 10, loss: 1 / seq, val_loss: 2 / seq });

describe("view state", () => {
  it("records every accepted frame into the timeline and the run histories", () => {
    const hub = new TelemetryHub();
    const s = createViewState(hub);
    hub.reset("r1");
    for (let i = 1; i <= 3; i++) hub.ingest(frame(i));
    expect(s.timeline.length).toBe(3);
    expect(s.runs.get("r1")?.series.length).toBe(3);
    expect(s.runs.get("r1")?.bestStep).toBe(30);
    s.timeline.select(0);
    expect(currentFrame(s, hub)?.seq).toBe(1);
    s.detach();
  });

  it("shows nothing after the hub is reset, and starts a new timeline for the next run", () => {
    const hub = new TelemetryHub();
    const s = createViewState(hub);
    hub.reset("r1");
    hub.ingest(frame(1));
    hub.reset("r2");
    expect(currentFrame(s, hub)).toBeNull();
    expect(s.timeline.length).toBe(0);
    hub.ingest(frame(1, "r2"));
    expect(currentFrame(s, hub)?.run).toBe("r2");
    // the earlier run stays available for comparison
    expect(s.runs.list().map((r) => r.run)).toEqual(["r1", "r2"]);
    s.detach();
  });
});
