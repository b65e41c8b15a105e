/**
 * The run-control store: which run is being watched, its state, and the play / pause / step / epoch /
 * reset / speed / learning-rate actions. A run is created from the current spec on the first play or
 * step; editing the spec afterwards makes the next play start a fresh run.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { ApiError, type ApiClient, type ActionKind, type RunPublic, type RunState } from "../net/api";
import type { RunStateMessage, SocketStatus } from "../net/socket";
import type { TelemetryHub } from "../telemetry/hub";
import { isTerminal } from "../runs/states";
import type { RunSpec } from "../spec/types";
import type { SpecStore } from "./specStore";

export type Speed = "slow" | "medium" | "full";
export const SPEEDS: readonly Speed[] = ["slow", "medium", "full"];
/** slow and medium pace training from the page with step actions: [steps per request, ms between]. */
export const PACE: Record<Exclude<Speed, "full">, [number, number]> = { slow: [1, 400], medium: [5, 150] };

/** The run part of the state before any run, and after a reset. */
const NO_RUN = {
  runId: null,
  owner: null,
  state: null,
  step: 0,
  epoch: 0,
  stopReason: null,
  diagnosis: null,
  checkpointStep: null,
  specRevision: null,
  runSpec: null,
} as const satisfies Partial<RunControlState>;

export interface RunControlState {
  runId: string | null;
  owner: string | null;
  state: RunState | null;
  step: number;
  epoch: number;
  stopReason: string | null;
  diagnosis: Record<string, unknown> | null;
  /** The step of the run's newest checkpoint on the server (an interrupted run resumes from it). */
  checkpointStep: number | null;
  /** The spec revision the current run was created from. */
  specRevision: number | null;
  /**
   * The spec the current run was created from (with the learning rate it was steered to): what its
   * frames belong to while the editor's spec may already say something else.
   */
  runSpec: RunSpec | null;
  speed: Speed;
  /** True while paced stepping (slow/medium) is active. */
  pacing: boolean;
  socket: SocketStatus;
  busy: boolean;
  /** A plain-language message about the last failed action, or null. */
  error: string | null;
  /** When the run failed because of one layer (stop_reason names its pointer): that layer and why. */
  failure: { nodeId: string | null; message: string } | null;

  play: () => Promise<void>;
  pause: () => Promise<void>;
  togglePlay: () => Promise<void>;
  stepOnce: () => Promise<void>;
  stepEpoch: () => Promise<void>;
  reset: () => Promise<void>;
  setSpeed: (speed: Speed) => void;
  setLr: (lr: number) => Promise<void>;
  /** Train an interrupted run on from its last checkpoint (only its owner may). */
  resumeInterrupted: () => Promise<void>;
  /** Watch someone else's run read-only (a shared link, a class's followed run): no owner token. */
  watchRun: (runId: string) => Promise<void>;
  /** Make a run this page owns the current one (e.g. a student's fork). */
  adoptRun: (runId: string, owner: string) => Promise<void>;
  clearError: () => void;
  applyRunState: (msg: RunStateMessage) => void;
  setSocketStatus: (status: SocketStatus) => void;
  setError: (message: string | null) => void;
}

export type RunStore = StoreApi<RunControlState>;

/** What the run store needs from the socket (so tests can pass a fake). */
export interface RunSocket {
  watch(runId: string, owner: string | null): void;
  control(action: ActionKind, extra?: { steps?: number; lr?: number }): boolean;
  close(): void;
}

export interface RunStoreDeps {
  api: ApiClient;
  hub: TelemetryHub;
  specs: SpecStore;
  socket: RunSocket;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  /** The owner token new runs are created under (this browser's); none: the server makes one per run. */
  owner?: () => string;
}

export function isRunning(s: Pick<RunControlState, "state" | "pacing">): boolean {
  return s.state === "running" || s.pacing;
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export function createRunStore(deps: RunStoreDeps): RunStore {
  const every = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const cancel = deps.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
  let pacer: unknown = null;
  let inflight = false;

  return createStore<RunControlState>()((set, get) => {
    const failureOf = (state: RunState, reason: string | null | undefined) => {
      if (state !== "failed" || !reason) return null;
      // e.g. "could not build the run: /network/nodes/1: the output 'y' gives [1] but ..."
      const m = /(\/network\/nodes\/(\d+)[^:\s]*): (.*)$/.exec(reason);
      if (!m) return { nodeId: null, message: reason };
      const node = deps.specs.getState().spec().network.nodes[Number(m[2])];
      return { nodeId: node?.id ?? null, message: m[3]! };
    };

    /** What the run store shows of a run, from its REST answer or its websocket state message. */
    const progressOf = (run: Pick<RunPublic, "state" | "step" | "epoch" | "stop_reason" | "diagnosis">) => ({
      state: run.state,
      step: run.step,
      epoch: run.epoch,
      stopReason: run.stop_reason ?? null,
      diagnosis: run.diagnosis ?? null,
      failure: failureOf(run.state, run.stop_reason),
    });

    const fromPublic = (run: RunPublic) =>
      set({ ...progressOf(run), checkpointStep: run.checkpoint_step ?? null });

    const stopPacing = () => {
      if (pacer !== null) cancel(pacer);
      pacer = null;
      if (get().pacing) set({ pacing: false });
    };

    /** The current run if it still matches the spec, else a new one (created paused). */
    const ensureRun = async (start: boolean): Promise<{ id: string; owner: string; fresh: boolean }> => {
      const s = get();
      const revision = deps.specs.getState().revision;
      if (s.runId && s.owner && s.specRevision === revision && !isTerminal(s.state)) {
        return { id: s.runId, owner: s.owner, fresh: false };
      }
      stopPacing();
      const spec = deps.specs.getState().spec();
      const run = await deps.api.createRun(spec, start, null, deps.owner?.());
      deps.hub.reset(run.id);
      set({ runId: run.id, owner: run.owner, specRevision: revision, runSpec: spec, error: null });
      fromPublic(run);
      deps.socket.watch(run.id, run.owner);
      return { id: run.id, owner: run.owner, fresh: true };
    };

    const act = async (fn: () => Promise<void>) => {
      set({ busy: true });
      try {
        await fn();
        set({ error: null });
      } catch (error) {
        stopPacing();
        set({ error: messageOf(error) });
      } finally {
        set({ busy: false });
      }
    };

    const action = async (kind: ActionKind, extra: { steps?: number; lr?: number } = {}) => {
      const { runId, owner } = get();
      if (!runId || !owner) return;
      fromPublic(await deps.api.action(runId, kind, owner, extra));
    };

    const startPacing = () => {
      const speed = get().speed;
      if (speed === "full") return;
      const [steps, ms] = PACE[speed];
      set({ pacing: true });
      pacer = every(() => {
        if (inflight) return; // never queue steps behind a slow server
        inflight = true;
        action("step", { steps })
          .catch((error: unknown) => {
            stopPacing();
            set({ error: messageOf(error) });
          })
          .finally(() => {
            inflight = false;
            if (isTerminal(get().state)) stopPacing();
          });
      }, ms);
    };

    return {
      ...NO_RUN,
      speed: "full",
      pacing: false,
      socket: "idle",
      busy: false,
      error: null,
      failure: null,

      play: () =>
        act(async () => {
          const full = get().speed === "full";
          const run = await ensureRun(full);
          if (!full) {
            if (get().state === "running") await action("pause");
            if (!get().pacing) startPacing();
            return;
          }
          const state = get().state;
          if (!run.fresh || state !== "running") {
            if (state === "created") await action("start");
            else if (state === "paused") await action("resume");
          }
        }),

      pause: () =>
        act(async () => {
          stopPacing();
          if (get().state === "running") await action("pause");
        }),

      togglePlay: () => {
        const s = get();
        if (isRunning(s)) return s.pause();
        // Play on an interrupted run of ours, spec unchanged, trains it on from its checkpoint
        // rather than starting a new run from step 0.
        const resumable =
          s.state === "interrupted" &&
          s.owner !== null &&
          s.checkpointStep !== null &&
          s.specRevision === deps.specs.getState().revision;
        return resumable ? s.resumeInterrupted() : s.play();
      },

      stepOnce: () =>
        act(async () => {
          stopPacing();
          await ensureRun(false);
          if (get().state === "running") await action("pause");
          await action("step", { steps: 1 });
        }),

      stepEpoch: () =>
        act(async () => {
          stopPacing();
          await ensureRun(false);
          if (get().state === "running") await action("pause");
          await action("epoch");
        }),

      reset: () =>
        act(async () => {
          stopPacing();
          const { runId, owner, state } = get();
          set(NO_RUN);
          deps.hub.reset(null);
          deps.socket.close();
          if (runId && owner && state && !isTerminal(state)) {
            await deps.api.action(runId, "stop", owner).catch(() => undefined);
          }
        }),

      setSpeed: (speed) => {
        const wasPacing = get().pacing;
        const running = get().state === "running";
        set({ speed });
        if (wasPacing || running) {
          stopPacing();
          void get().play();
        }
      },

      setLr: (lr) =>
        act(async () => {
          const specs = deps.specs.getState();
          const optimizer = specs.rest.training.optimizer ?? {};
          const sameRun = get().specRevision === specs.revision;
          specs.setTraining({ optimizer: { ...optimizer, lr } }, "training:lr");
          // A learning-rate change steers the live run instead of invalidating it.
          if (sameRun)
            set({ specRevision: deps.specs.getState().revision, runSpec: deps.specs.getState().spec() });
          const { runId, state } = get();
          if (!runId || !state || isTerminal(state) || !sameRun) return;
          if (!deps.socket.control("set_lr", { lr })) await action("set_lr", { lr });
        }),

      resumeInterrupted: () =>
        act(async () => {
          stopPacing();
          const { runId, owner, state } = get();
          if (!runId || !owner || state !== "interrupted") return;
          await action("resume");
          // the run trains in a new worker: subscribe again (a restarted server forgot us)
          deps.socket.watch(runId, owner);
        }),

      watchRun: (runId) =>
        act(async () => {
          stopPacing();
          const run = await deps.api.run(runId);
          deps.hub.reset(runId);
          set({ runId, owner: null, specRevision: null, runSpec: run.spec ?? null, error: null });
          fromPublic(run);
          deps.socket.watch(runId, null);
        }),

      adoptRun: (runId, owner) =>
        act(async () => {
          stopPacing();
          const run = await deps.api.run(runId);
          deps.hub.reset(runId);
          const revision = deps.specs.getState().revision;
          set({ runId, owner, specRevision: revision, runSpec: run.spec ?? null, error: null });
          fromPublic(run);
          deps.socket.watch(runId, owner);
        }),

      clearError: () => set({ error: null }),

      applyRunState: (msg) => {
        if (msg.run_id !== get().runId) return;
        set(progressOf(msg));
        if (isTerminal(msg.state)) stopPacing();
        if (msg.state === "interrupted") {
          // the run_state message does not say where the run can resume from; its record does
          void deps.api
            .run(msg.run_id)
            .then((run) => {
              if (get().runId === run.id) set({ checkpointStep: run.checkpoint_step ?? null });
            })
            .catch(() => undefined);
        }
      },

      setSocketStatus: (socket) => set({ socket }),
      setError: (error) => set({ error }),
    };
  });
}
