import { describe, expect, it } from "vitest";
import {
  FINISHED_RUN_STATES,
  isTerminal,
  LIVE_RUN_STATES,
  pointEnded,
  RUN_STATES,
  sweepLive,
} from "./states";

describe("run states", () => {
  it("are each live or ended, the live ones first", () => {
    expect(LIVE_RUN_STATES).toEqual(["created", "running", "paused", "stalled"]);
    expect(FINISHED_RUN_STATES).toEqual(["finished", "stopped", "diverged", "failed", "interrupted"]);
    expect(RUN_STATES).toEqual([...LIVE_RUN_STATES, ...FINISHED_RUN_STATES]);
  });

  it("end a run when finished, stopped, diverged, failed or interrupted", () => {
    expect(FINISHED_RUN_STATES.every(isTerminal)).toBe(true);
    expect(LIVE_RUN_STATES.some(isTerminal)).toBe(false);
    expect(isTerminal(null)).toBe(false);
  });
});

describe("a sweep's point", () => {
  it("has ended when its run ended, or it was cancelled or deleted before it ran", () => {
    expect(pointEnded("finished")).toBe(true);
    expect(pointEnded("cancelled")).toBe(true);
    expect(pointEnded("deleted")).toBe(true);
    expect(pointEnded("queued")).toBe(false);
    expect(pointEnded("running")).toBe(false);
  });
});

describe("sweepLive", () => {
  it("holds for sweeps whose runs wait or train", () => {
    expect(sweepLive({ state: "running" })).toBe(true);
    expect(sweepLive({ state: "created" })).toBe(true);
    expect(sweepLive({ state: "done" })).toBe(false);
    expect(sweepLive({ state: "stopped" })).toBe(false);
  });
});
