import { describe, expect, it } from "vitest";
import {
  activeLayer,
  canStep,
  describeStage,
  initialStep,
  outputKnown,
  placeOf,
  reached,
  stageAt,
  stageIndex,
  step,
  stepAt,
  type StepAction,
  type StepState,
} from "./steps";

function run(s: StepState, ...actions: StepAction[]): StepState {
  return actions.reduce(step, s);
}

describe("step state machine", () => {
  const s0 = initialStep(3, 4);
  it("walks forward, backward, then update", () => {
    expect(canStep(s0, "forward")).toBe(true);
    expect(canStep(s0, "backward")).toBe(false);
    expect(canStep(s0, "update")).toBe(false);
    const f3 = run(s0, "forward", "forward", "forward");
    expect(f3.stage).toEqual({ kind: "forward", layer: 2 });
    expect(outputKnown(f3)).toBe(true);
    expect(canStep(f3, "forward")).toBe(false);
    const b1 = step(f3, "backward");
    expect(b1.stage).toEqual({ kind: "backward", layer: 2 });
    const b3 = run(b1, "backward", "backward");
    expect(b3.stage).toEqual({ kind: "backward", layer: 0 });
    expect(canStep(b3, "backward")).toBe(false);
    expect(canStep(b3, "update")).toBe(true);
    const u = step(b3, "update");
    expect(u.stage).toEqual({ kind: "updated" });
    expect(canStep(u, "forward")).toBe(false);
  });
  it("ignores actions that are not allowed", () => {
    expect(step(s0, "backward")).toBe(s0);
    expect(step(s0, "update")).toBe(s0);
    expect(step(s0, "undo")).toBe(s0);
  });
  it("reveals quantities layer by layer", () => {
    const f1 = run(s0, "forward");
    expect(reached(f1, 0)).toEqual({ forward: true, backward: false, updated: false });
    expect(reached(f1, 1).forward).toBe(false);
    const b = run(s0, "forward", "forward", "forward", "backward");
    expect(reached(b, 2).backward).toBe(true);
    expect(reached(b, 1).backward).toBe(false);
    expect(activeLayer(b)).toBe(2);
    const done = step(b, "finish");
    expect(reached(done, 0)).toEqual({ forward: true, backward: true, updated: true });
    expect(activeLayer(done)).toBeNull();
  });
  it("undo and reset go back; stage indices round-trip", () => {
    const b = run(s0, "forward", "forward", "forward", "backward");
    expect(step(b, "undo").stage).toEqual({ kind: "forward", layer: 2 });
    expect(step(b, "reset").stage).toEqual({ kind: "idle" });
    for (let i = 0; i <= 7; i++) expect(stageIndex(stageAt(i, 3), 3)).toBe(i);
  });
  it("cycles the examples without moving the stage", () => {
    const f = step(s0, "forward");
    expect(step(f, "nextExample")).toMatchObject({ example: 1, stage: f.stage });
    expect(step(s0, "prevExample").example).toBe(3);
    expect(run(s0, "nextExample", "nextExample", "nextExample", "nextExample").example).toBe(0);
    expect(canStep(initialStep(3, 1), "nextExample")).toBe(false);
  });
  it("describes each stage", () => {
    expect(describeStage(s0, ["h1", "h2", "y"])).toMatch(/Ready/);
    expect(describeStage(run(s0, "forward"), ["h1", "h2", "y"])).toMatch(/h1/);
    expect(describeStage(step(s0, "finish"), [])).toMatch(/Updated/);
    expect(
      describeStage(run(s0, "forward", "forward"), ["c", "p", "y"], ["conv2d", "maxpool2d", "dense"]),
    ).toMatch(/largest/);
  });
});

describe("place (what the URL keeps)", () => {
  it("round-trips every stage and example", () => {
    let s = initialStep(3, 4);
    for (const a of [
      "nextExample",
      "forward",
      "forward",
      "forward",
      "backward",
      "backward",
      "backward",
      "update",
    ] as const) {
      s = step(s, a);
      expect(stepAt(placeOf(s), 3, 4)).toEqual(s);
    }
    expect(placeOf(s)).toEqual({ stage: 7, example: 1 });
  });

  it("clamps a place from a link made for another network", () => {
    expect(stepAt({ stage: 99, example: 9 }, 2, 3)).toMatchObject({ stage: { kind: "updated" }, example: 2 });
    expect(stepAt({ stage: -4, example: -1 }, 2, 3)).toMatchObject({ stage: { kind: "idle" }, example: 0 });
    expect(stepAt({ stage: Number.NaN, example: 1.7 }, 2, 3)).toMatchObject({
      stage: { kind: "idle" },
      example: 1,
    });
  });
});
