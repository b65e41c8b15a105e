import { describe, expect, it } from "vitest";
import type { RunPublic } from "../net/api";
import {
  changeLabel,
  changeText,
  diffText,
  durationText,
  matchesText,
  metricsText,
  STATE_FILTERS,
  valueText,
  whenText,
} from "./history";

function run(extra: Partial<RunPublic> = {}): RunPublic {
  return {
    id: "abc123",
    name: null,
    experiment_id: null,
    state: "finished",
    step: 40,
    epoch: 20,
    latest_metrics: {
      step: 40,
      epoch: 20,
      loss: 0.01234,
      val_loss: null,
      accuracy: 0.966,
      val_accuracy: null,
      lr: 0.1,
    },
    stop_reason: null,
    diagnosis: null,
    device: null,
    executor: null,
    created_at: "2026-12-06T10:00:00Z",
    updated_at: "2026-12-06T10:00:42Z",
    checkpoint_step: null,
    ended_at: "2026-12-06T10:00:42Z",
    spec: null,
    summary: "2-4-1 tanh · sgd α 0.1 · circle",
    diff: {
      previous: "prev1",
      changes: [{ pointer: "/training/optimizer/lr", old: 0.03, new: 0.1 }],
      omitted: 0,
    },
    mine: true,
    ...extra,
  };
}

describe("run history wording", () => {
  it("names a change by its pointer without the top-level part", () => {
    expect(changeLabel("/training/optimizer/lr")).toBe("optimizer/lr");
    expect(changeLabel("/network/nodes/1/units")).toBe("nodes/1/units");
    expect(changeLabel("/data/noise")).toBe("data/noise");
    expect(changeLabel("/seed")).toBe("seed");
    expect(changeLabel("/a~1b/c~0d/e")).toBe("c~d/e");
  });

  it("shows values compactly and an absent one as a dash", () => {
    expect(valueText(0.1 + 0.2)).toBe("0.3");
    expect(valueText(8)).toBe("8");
    expect(valueText(null)).toBe("—");
    expect(valueText("relu")).toBe("relu");
    expect(valueText([2, 3])).toBe("[2,3]");
  });

  it("reads a change as old → new", () => {
    expect(changeText({ pointer: "/training/optimizer/lr", old: 0.03, new: 0.1 })).toBe(
      "optimizer/lr 0.03 → 0.1",
    );
  });

  it("says first run, same spec, or the changes with how many more", () => {
    expect(diffText(null)).toBe("first run");
    expect(diffText({ previous: "p", changes: [], omitted: 0 })).toBe("same spec as the run before");
    const two = {
      previous: "p",
      changes: [
        { pointer: "/training/optimizer/lr", old: 0.03, new: 0.1 },
        { pointer: "/network/nodes/1/activation", old: "tanh", new: "relu" },
      ],
      omitted: 3,
    };
    expect(diffText(two)).toBe("optimizer/lr 0.03 → 0.1, nodes/1/activation tanh → relu (+3 more)");
  });

  it("shows the final loss and accuracy", () => {
    expect(metricsText(run())).toBe("loss 0.0123 · acc 97%");
    expect(metricsText(run({ latest_metrics: null }))).toBe("no metrics yet");
  });

  it("says when relative to now and how long the run took", () => {
    const now = Date.parse("2026-12-06T10:05:30Z");
    expect(whenText("2026-12-06T10:05:00Z", now)).toBe("just now");
    expect(whenText("2026-12-06T10:00:00Z", now)).toBe("5 min ago");
    expect(whenText("2026-12-06T07:00:00Z", now)).toBe("3 h ago");
    expect(durationText(run())).toBe("42 s");
    expect(durationText(run({ ended_at: null }))).toBe("");
  });

  it("filters by every word in summary, changes, state or id", () => {
    expect(matchesText(run(), "")).toBe(true);
    expect(matchesText(run(), "TANH lr")).toBe(true);
    expect(matchesText(run(), "finished circle")).toBe(true);
    expect(matchesText(run(), "abc1")).toBe(true);
    expect(matchesText(run(), "relu")).toBe(false);
  });

  it("asks the server for the live states together", () => {
    expect(STATE_FILTERS.live).toEqual(["created", "running", "paused", "stalled"]);
    expect(STATE_FILTERS.all).toEqual([]);
  });
});
