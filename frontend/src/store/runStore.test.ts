import { describe, expect, it, vi } from "vitest";
import type { ApiClient, RunCreated, RunPublic } from "../net/api";
import type { RunStateMessage } from "../net/socket";
import { TelemetryHub } from "../telemetry/hub";
import { createRunStore, type RunSocket } from "./runStore";
import { createSpecStore } from "./specStore";

function run(state: RunPublic["state"], step = 0): RunCreated {
  return {
    id: "r1",
    name: null,
    experiment_id: null,
    owner: "owner-token",
    state,
    step,
    epoch: 0,
    latest_metrics: null,
    stop_reason: null,
    diagnosis: null,
    device: null,
    executor: null,
    checkpoint_step: null,
    created_at: "",
    updated_at: "",
    ended_at: null,
    spec: null,
    summary: null,
    diff: null,
    mine: null,
  };
}

/** A run_state message of run r1 as the server writes it; tests override what they check. */
const runState: RunStateMessage = {
  type: "run_state",
  v: 1,
  run_id: "r1",
  state: "running",
  step: 0,
  epoch: 0,
  stop_reason: null,
  diagnosis: null,
};

function setup() {
  const calls: string[] = [];
  let state: RunPublic["state"] = "created";
  const api = {
    createRun: vi.fn(async (_spec: unknown, start: boolean) => {
      state = start ? "running" : "created";
      calls.push(`create:${start}`);
      return run(state);
    }),
    run: vi.fn(async () => ({ ...run(state), checkpoint_step: 7 })),
    action: vi.fn(
      async (_id: string, action: string, _owner: string, extra: { steps?: number; lr?: number } = {}) => {
        calls.push(`${action}${extra.steps ? `:${extra.steps}` : ""}${extra.lr ? `:${extra.lr}` : ""}`);
        if (action === "start" || action === "resume") state = "running";
        if (action === "pause") state = "paused";
        if (action === "stop") state = "stopped";
        if (action === "step" || action === "epoch") state = "paused";
        return run(state, 1);
      },
    ),
  } as unknown as ApiClient;
  const socket: RunSocket & { watched: string[]; controls: string[] } = {
    watched: [],
    controls: [],
    watch(id) {
      this.watched.push(id);
    },
    control(action, extra) {
      this.controls.push(`${action}:${extra?.lr ?? ""}`);
      return true;
    },
    close: vi.fn(),
  };
  const hub = new TelemetryHub();
  const specs = createSpecStore();
  let tick: (() => void) | null = null;
  const runs = createRunStore({
    api,
    hub,
    specs,
    socket,
    setInterval: (fn) => {
      tick = fn;
      return 1;
    },
    clearInterval: () => {
      tick = null;
    },
  });
  return { api, socket, hub, specs, runs, calls, tick: () => tick?.(), hasTick: () => tick !== null };
}

describe("run store", () => {
  it("creates a started run on the first play and pauses/resumes it", async () => {
    const t = setup();
    await t.runs.getState().play();
    expect(t.calls).toEqual(["create:true"]);
    expect(t.runs.getState().state).toBe("running");
    expect(t.socket.watched).toEqual(["r1"]);
    expect(t.hub.runId).toBe("r1");
    await t.runs.getState().togglePlay();
    expect(t.runs.getState().state).toBe("paused");
    await t.runs.getState().togglePlay();
    expect(t.calls).toEqual(["create:true", "pause", "resume"]);
  });

  it("resumes an interrupted run it owns from its checkpoint and watches it again", async () => {
    const t = setup();
    await t.runs.getState().play();
    t.runs.getState().applyRunState({ ...runState, state: "interrupted", stop_reason: "killed" });
    expect(t.runs.getState().state).toBe("interrupted");
    await vi.waitFor(() => expect(t.runs.getState().checkpointStep).toBe(7));
    await t.runs.getState().resumeInterrupted();
    expect(t.calls).toEqual(["create:true", "resume"]);
    expect(t.runs.getState().state).toBe("running");
    expect(t.socket.watched).toEqual(["r1", "r1"]);
  });

  it("resumes an interrupted run on Play instead of starting a new one", async () => {
    const t = setup();
    await t.runs.getState().play();
    t.runs.getState().applyRunState({ ...runState, state: "interrupted", stop_reason: "killed" });
    await vi.waitFor(() => expect(t.runs.getState().checkpointStep).toBe(7));
    await t.runs.getState().togglePlay();
    expect(t.calls).toEqual(["create:true", "resume"]);
    expect(t.runs.getState().runId).toBe("r1");
  });

  it("steps and runs an epoch on a paused run, creating it first", async () => {
    const t = setup();
    await t.runs.getState().stepOnce();
    await t.runs.getState().stepEpoch();
    expect(t.calls).toEqual(["create:false", "step:1", "epoch"]);
  });

  it("starts a fresh run after the spec changes", async () => {
    const t = setup();
    await t.runs.getState().play();
    await t.runs.getState().pause();
    t.specs.getState().updateNode("h1", { units: 9 });
    await t.runs.getState().play();
    expect(t.calls.filter((c) => c.startsWith("create"))).toHaveLength(2);
  });

  it("keeps the spec its run was created from while the editor's spec moves on", async () => {
    const t = setup();
    expect(t.runs.getState().runSpec).toBeNull();
    t.specs.getState().setData({ dataset: "spiral", features: ["x", "y"] });
    await t.runs.getState().play();
    expect(t.runs.getState().runSpec?.data?.features).toEqual(["x", "y"]);
    // edited while the run is shown: its frames still belong to the old features
    t.specs.getState().setData({ features: ["x", "y", "sin_x"] });
    expect(t.runs.getState().runSpec?.data?.features).toEqual(["x", "y"]);
    // a learning-rate change steers the run, and its spec says so
    await t.runs.getState().setLr(0.5);
    expect(t.runs.getState().runSpec?.training?.optimizer?.lr).not.toBe(0.5);
    await t.runs.getState().pause();
    await t.runs.getState().play(); // a fresh run from the edited spec
    expect(t.runs.getState().runSpec?.data?.features).toEqual(["x", "y", "sin_x"]);
    await t.runs.getState().setLr(0.25);
    expect(t.runs.getState().runSpec?.training?.optimizer?.lr).toBe(0.25);
    await t.runs.getState().reset();
    expect(t.runs.getState().runSpec).toBeNull();
  });

  it("changes the learning rate of the live run without replacing it", async () => {
    const t = setup();
    await t.runs.getState().play();
    await t.runs.getState().setLr(0.5);
    expect(t.socket.controls).toEqual(["set_lr:0.5"]);
    expect(t.specs.getState().rest.training.optimizer?.lr).toBe(0.5);
    await t.runs.getState().pause();
    await t.runs.getState().play();
    expect(t.calls.filter((c) => c.startsWith("create"))).toHaveLength(1);
  });

  it("paces slow training with step actions and stops pacing on pause", async () => {
    const t = setup();
    t.runs.getState().setSpeed("slow");
    await t.runs.getState().play();
    expect(t.calls).toEqual(["create:false"]);
    expect(t.runs.getState().pacing).toBe(true);
    t.tick();
    await vi.waitFor(() => expect(t.calls).toContain("step:1"));
    await t.runs.getState().pause();
    expect(t.hasTick()).toBe(false);
    expect(t.runs.getState().pacing).toBe(false);
  });

  it("resets: stops the run, clears telemetry and shows errors in plain words", async () => {
    const t = setup();
    await t.runs.getState().play();
    await t.runs.getState().reset();
    expect(t.calls.at(-1)).toBe("stop");
    expect(t.runs.getState().runId).toBeNull();
    expect(t.hub.runId).toBeNull();
    (t.api.createRun as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error("The server is busy"));
    await t.runs.getState().play();
    expect(t.runs.getState().error).toBe("The server is busy");
  });

  it("follows run_state messages for its own run only", async () => {
    const t = setup();
    await t.runs.getState().play();
    t.runs.getState().applyRunState({ ...runState, run_id: "other", state: "failed", step: 1, epoch: 1 });
    expect(t.runs.getState().state).toBe("running");
    t.runs.getState().applyRunState({
      ...runState,
      run_id: "r1",
      state: "finished",
      step: 500,
      epoch: 500,
      stop_reason: "reached 500 epochs",
    });
    expect(t.runs.getState()).toMatchObject({
      state: "finished",
      step: 500,
      stopReason: "reached 500 epochs",
    });
  });

  it("maps a build failure's pointer onto the layer it names", async () => {
    const t = setup();
    await t.runs.getState().play();
    t.runs.getState().applyRunState({
      ...runState,
      run_id: "r1",
      state: "failed",
      step: 0,
      epoch: 0,
      stop_reason:
        "could not build the run: /network/nodes/3: the output 'y' gives [1] but 'digits' has 10 target value(s) per example; give it 10 unit(s).",
    });
    expect(t.runs.getState().failure).toEqual({
      nodeId: "y",
      message:
        "the output 'y' gives [1] but 'digits' has 10 target value(s) per example; give it 10 unit(s).",
    });
  });
});
