/**
 * Which update textbook mode traces: the book's plain gradient descent, or one step of the spec's own
 * optimiser (momentum in both forms, Nesterov, AdaGrad, RMSProp, Adam, NAdam, AdamW) from fresh state
 * with its state shown beside each weight; and over which examples: the whole batch, or one example
 * (a stochastic update). Pure, so the wording and the column order are unit-tested.
 */
import type { OptimizerSpec } from "../../generated";
import { isWeightedKind } from "../../spec/types";
import type { Rows, TraceRequest, TraceResponse } from "./trace";

export type UpdateRule = "gd" | "optimizer";

/**
 * How the walk is traced: the update rule, the example (null: the whole batch) and, for an
 * optimiser, which of its steps t = 1, 2, … (each from the weights and state the one before left).
 */
export interface Walk {
  rule: UpdateRule;
  example: number | null;
  step: number;
}

export const BATCH_WALK: Walk = { rule: "gd", example: null, step: 1 };

/** The most optimiser steps textbook mode chains (the lecture's tables have up to five rows). */
export const MAX_STEPS = 10;

type Kind = NonNullable<OptimizerSpec["kind"]>;

const NAMES: Record<Kind, string> = {
  sgd: "SGD",
  momentum: "Momentum",
  momentum_ema: "Momentum (EMA)",
  nesterov: "Nesterov",
  adagrad: "AdaGrad",
  rmsprop: "RMSProp",
  adam: "Adam",
  nadam: "NAdam",
  adamw: "AdamW",
};

/** The spec's optimiser when it is more than plain gradient descent (which the book's step already is). */
export function steppingOptimizer(optimizer: OptimizerSpec | null | undefined): OptimizerSpec | null {
  if (!optimizer || (optimizer.kind ?? "sgd") === "sgd") return null;
  return optimizer;
}

export function optimizerName(optimizer: OptimizerSpec): string {
  return NAMES[optimizer.kind ?? "sgd"];
}

/** The state the trace reports, in the order the lecture introduces it. */
export const STATE_ORDER = ["velocity", "sum_sq", "mean_sq", "m", "v", "m_hat", "v_hat"] as const;
export type StateName = (typeof STATE_ORDER)[number];

/** Column heads as the lecture writes them. */
export const STATE_HEADS: Record<StateName, string> = {
  velocity: "v",
  sum_sq: "Σg²",
  mean_sq: "E[g²]",
  m: "m",
  v: "v",
  m_hat: "m̂",
  v_hat: "v̂",
};

/** The state names present in a trace's layers, in STATE_ORDER. */
export function stateNames(states: readonly (Record<string, unknown> | null | undefined)[]): StateName[] {
  const seen = new Set<string>();
  for (const s of states) for (const k of Object.keys(s ?? {})) seen.add(k);
  return STATE_ORDER.filter((k) => seen.has(k));
}

function fmt(x: number | undefined, fallback: number): string {
  return String(x ?? fallback);
}

/**
 * The update the step applies, with this optimiser's numbers, g being ∂E/∂w summed (or averaged)
 * over the traced examples. Each step starts from zero state (t = 1), as a first iteration does.
 */
export function updateFormula(o: OptimizerSpec | null): string {
  if (!o) return "w ← w − α·Δw";
  const a = fmt(o.lr, 0.03);
  const mu = fmt(o.momentum, 0.9);
  const b1 = fmt(o.beta1, 0.9);
  const b2 = fmt(o.beta2, 0.999);
  const eps = fmt(o.eps, 1e-8);
  switch (o.kind ?? "sgd") {
    case "sgd":
      return `w ← w − α·g, α = ${a}`;
    case "momentum":
      return `v ← μ·v + g, w ← w − α·v (torch's form), μ = ${mu}, α = ${a}`;
    case "momentum_ema":
      return `v ← β·v + (1 − β)·g, w ← w − α·v (the lecture's form), β = ${mu}, α = ${a}`;
    case "nesterov":
      return `v ← μ·v + g, w ← w − α·(g + μ·v) (look-ahead), μ = ${mu}, α = ${a}`;
    case "adagrad":
      return `Σg² ← Σg² + g², w ← w − α·g/(√Σg² + ε), α = ${a}, ε = ${eps}`;
    case "rmsprop":
      return `E[g²] ← ρ·E[g²] + (1 − ρ)·g², w ← w − α·g/(√E[g²] + ε), ρ = ${fmt(o.rho, 0.9)}, α = ${a}, ε = ${eps}`;
    case "adam":
      return `m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), w ← w − α·m̂/(√v̂ + ε), β₁ = ${b1}, β₂ = ${b2}, α = ${a}, ε = ${eps}, t = 1`;
    case "nadam":
      return `Adam with a Nesterov look-ahead on m (torch's momentum schedule), β₁ = ${b1}, β₂ = ${b2}, α = ${a}, t = 1`;
    case "adamw":
      return `Adam's step plus w ← w − α·λ·w (decoupled weight decay), λ = ${fmt(o.weight_decay, 0.01)}, β₁ = ${b1}, β₂ = ${b2}, α = ${a}, t = 1`;
  }
}

/** The rows a walk traces: all of them, or the one example of a stochastic update. */
export function walkRows(rows: Rows, example: number | null): Rows {
  if (example === null || example < 0 || example >= rows.inputs.length) return rows;
  const { of: _all, ...rest } = rows;
  return { ...rest, inputs: [rows.inputs[example]!], targets: [rows.targets[example]!] };
}

type Node = TraceRequest["network"]["nodes"][number];

/**
 * The request for the optimiser's next step: the same examples, each layer's parameters as the last
 * trace left them, and the optimiser's state after `taken` steps.
 */
export function continueFrom(request: TraceRequest, last: TraceResponse, taken: number): TraceRequest {
  const byId = new Map(last.layers.map((l) => [l.id, l]));
  const nodes = request.network.nodes.map((node): Node => {
    const traced = byId.get(node.id) as Record<string, unknown> | undefined;
    if (!traced) return node;
    if (isWeightedKind(node.kind))
      return { ...node, weights: traced.weights_after, bias: traced.bias_after } as Node;
    if (node.kind === "batchnorm")
      return { ...node, gamma: traced.gamma_after, beta: traced.beta_after } as Node;
    return node;
  });
  const state = Object.fromEntries(
    last.layers.filter((l) => l.optimizer_state).map((l) => [l.id, l.optimizer_state!]),
  );
  return {
    ...request,
    network: { ...request.network, nodes },
    optimizer_state: state,
    optimizer_t: taken,
  };
}

/** Where step t starts from, as the optimiser table's caption says it. */
export function stepOrigin(t: number): string {
  if (t <= 1) return " from zero state";
  return t === 2 ? ", from the state step 1 left" : `, from the state steps 1–${t - 1} left`;
}
