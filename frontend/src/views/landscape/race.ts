/** What the lab asks the server for, built from the controls. Pure. */
import type * as landscape from "../../generated";

export type RaceRequest = landscape.TrajectoryRequest;
export type RaceResponse = landscape.TrajectoryResponse;
export type RaceTrajectory = landscape.Trajectory;
export type StepState = landscape.OptimizerStepState;
export type FunctionName = landscape.LandscapeFunction["name"];
export type OptimizerKind = NonNullable<landscape.RaceOptimizer["kind"]>;
export type MomentumForm = NonNullable<landscape.MomentumMapRequest["kind"]>;

export const FUNCTION_NAMES: readonly FunctionName[] = [
  "quadratic",
  "rosenbrock",
  "beale",
  "himmelblau",
  "saddle",
  "monkey_saddle",
  "plateau",
];

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = [
  "sgd",
  "momentum",
  "momentum_ema",
  "nesterov",
  "adagrad",
  "rmsprop",
  "adam",
  "nadam",
  "adamw",
];

/** Labels for the pickers: the two momentum forms named apart, as in the training panel. */
export const OPTIMIZER_TITLES: Record<OptimizerKind, string> = {
  sgd: "Gradient descent",
  momentum: "Momentum (v = βv + g)",
  momentum_ema: "Momentum, lecture form (v = βv + (1−β)g)",
  nesterov: "Nesterov",
  adagrad: "AdaGrad",
  rmsprop: "RMSProp",
  adam: "Adam",
  nadam: "Nadam",
  adamw: "AdamW",
};

export interface RaceControls {
  fn: FunctionName;
  conditionNumber: number;
  start: [number, number];
  steps: number;
  kinds: readonly OptimizerKind[];
  lr: number;
  momentum: number;
  mode: "same" | "tuned";
}

const MOMENTUM_FORMS: readonly OptimizerKind[] = ["momentum", "momentum_ema", "nesterov"];

/** The momentum form the (α, β) map is drawn for: the first one raced, else torch's form. */
export function mapForm(kinds: readonly OptimizerKind[]): MomentumForm {
  const form = kinds.find((k) => MOMENTUM_FORMS.includes(k));
  return (form ?? "momentum") as MomentumForm;
}

/** The POST /landscape/trajectories body: one spec per picked optimiser, all at the same α and β. */
export function raceRequest(c: RaceControls): RaceRequest {
  const momentum = c.momentum;
  return {
    function: c.fn,
    condition_number: c.conditionNumber,
    start: c.start,
    steps: c.steps,
    mode: c.mode,
    optimizers: c.kinds.map((kind) => ({ kind, lr: c.lr, momentum })),
    // The map is of momentum on the quadratic: only worth its cost when that is what is shown.
    momentum_map: c.fn === "quadratic" ? { kind: mapForm(c.kinds), lr: c.lr, momentum } : null,
    surface_resolution: 96,
  };
}

/** The learning-rate demo on f(w) = w² (the quadratic along y = 0): w ← (1 − 2α)·w. */
export const LR_DEMO = [
  { lr: 0.05, label: "too small" },
  { lr: 0.5, label: "right" },
  { lr: 0.9, label: "oscillating" },
  { lr: 1.05, label: "diverging" },
] as const;

export const LR_DEMO_START = 2;
export const LR_DEMO_STEPS = 12;

export function lrDemoRequest(): RaceRequest {
  return {
    function: "quadratic",
    start: [LR_DEMO_START, 0],
    steps: LR_DEMO_STEPS,
    optimizers: LR_DEMO.map((d) => ({ kind: "sgd", lr: d.lr })),
    surface_resolution: 8,
  };
}

/** Numbers as the readout shows them: exact to 10 significant digits, null as "overflow". */
export function exact(v: number | null | undefined): string {
  if (v === null || v === undefined) return "overflow";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(10))) : v.toExponential(9);
}
