/**
 * The states a run and a sweep's point can be in, each placed once: live or ended. The states come
 * from the generated contracts, so a state added in Python fails the type check here until it is
 * placed, and every list of ended or live states in the app is read from these.
 */
import type { RunState, SweepPoint, SweepSummary } from "../net/api";

const ENDED = {
  created: false,
  running: false,
  paused: false,
  stalled: false,
  finished: true,
  stopped: true,
  diverged: true,
  failed: true,
  interrupted: true,
} as const satisfies Record<RunState, boolean>;

/** The states a run ends in: finished, stopped, diverged, failed, interrupted. */
export type FinishedRunState = { [S in RunState]: (typeof ENDED)[S] extends true ? S : never }[RunState];
export type LiveRunState = Exclude<RunState, FinishedRunState>;

export type SweepPointState = SweepPoint["state"];

/** The states only a sweep's point has: waiting for a slot, or its run given up or deleted. */
const POINT_ENDED = {
  queued: false,
  cancelled: true,
  deleted: true,
} as const satisfies Record<Exclude<SweepPointState, RunState>, boolean>;

/** Every run state, live ones first. */
export const RUN_STATES = Object.keys(ENDED) as readonly RunState[];
export const LIVE_RUN_STATES = RUN_STATES.filter((s) => !ENDED[s]) as readonly LiveRunState[];
export const FINISHED_RUN_STATES = RUN_STATES.filter((s) => ENDED[s]) as readonly FinishedRunState[];

/** Whether a run in `state` has ended (it will not train on by itself). */
export function isTerminal(state: RunState | null): boolean {
  return state !== null && ENDED[state];
}

/** Whether a sweep may still change (runs waiting or training), for each of its states. */
const SWEEP_LIVE = {
  created: true,
  running: true,
  done: false,
  stopped: false,
} as const satisfies Record<SweepSummary["state"], boolean>;

/** True while a sweep may still change: its list and page keep asking. */
export function sweepLive(s: Pick<SweepSummary, "state">): boolean {
  return SWEEP_LIVE[s.state];
}

/** Whether a sweep's point has ended: its run ended, or it never will run. */
export function pointEnded(state: SweepPointState): boolean {
  return state in POINT_ENDED ? POINT_ENDED[state as keyof typeof POINT_ENDED] : ENDED[state as RunState];
}
