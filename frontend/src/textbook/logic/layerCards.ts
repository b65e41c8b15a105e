/**
 * Any traced node as the rows of a table, for the networks the dense and conv walk-throughs do not
 * cover (batch norm, activation nodes, dropout, residual adds, mixed chains): per-example rows for the
 * forward quantities, then the backward ones, then what the update writes, each named as the lecture
 * names it. Pure, so the order and the wording are unit-tested.
 */
import { matrix, type TraceLayer } from "./trace";

type Num = number | null;

export type Phase = "forward" | "backward" | "updated";

export interface CardRow {
  key: string;
  label: string;
  phase: Phase;
  /** one value per example (per-example keys) or one per feature (batch statistics) */
  values: Num[];
  /** the row holds one value per feature for the whole batch, not one per example */
  batch: boolean;
  feature: number;
}

export interface LayerCard {
  id: string;
  kind: string;
  title: string;
  rows: CardRow[];
}

/** Keys in walk order: [key, label, phase, per example?]. */
const KEYS: readonly [string, string, Phase, boolean][] = [
  ["x", "x (input)", "forward", true],
  ["mean", "μ (batch mean)", "forward", false],
  ["var", "σ² (batch variance, 1/m)", "forward", false],
  ["x_hat", "x̂ = (x − μ)/√(σ² + ε)", "forward", true],
  ["mask", "mask (1 kept, 0 dropped)", "forward", true],
  ["z", "z", "forward", true],
  ["a", "a", "forward", true],
  ["da_dz", "∂a/∂z", "backward", true],
  ["dE_da", "∂E/∂a", "backward", true],
  ["delta", "δ", "backward", true],
  ["dE_dx", "∂E/∂x (to the input)", "backward", true],
  ["grad_gamma", "∂E/∂γ", "backward", false],
  ["grad_beta", "∂E/∂β", "backward", false],
  ["grad_bias", "∂E/∂b", "backward", false],
  ["gamma_after", "γ after", "updated", false],
  ["beta_after", "β after", "updated", false],
  ["bias_after", "b after", "updated", false],
  ["running_mean_after", "running μ after", "updated", false],
  ["running_var_after", "running σ² after", "updated", false],
];

const KIND_TITLES: Record<string, string> = {
  batchnorm: "batch normalisation: a = γ·x̂ + β",
  activation: "activation φ on its own: a = φ(z)",
  dropout: "dropout: a = x · mask / ρ",
  add: "add: a = the sum of its inputs; δ goes to each unchanged",
  concat: "concat: the inputs side by side; each gets its slice of δ",
  dense: "dense: z = W·x + b, a = φ(z)",
  flatten: "flatten",
};

function asRows(value: unknown, perExample: boolean): Num[][] {
  if (value === null || value === undefined) return [];
  if (!perExample) {
    // one value per feature: [F] → F rows of one value
    const flat = Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
    return flat.map((v) => [typeof v === "number" ? v : null]);
  }
  // [N][F…] → F rows of N values (features flattened)
  const examples = (value as unknown[]).map((e) =>
    (Array.isArray(e) ? (e as unknown[]).flat(Infinity) : [e]).map((v) => (typeof v === "number" ? v : null)),
  );
  const features = examples[0]?.length ?? 0;
  return Array.from({ length: features }, (_, f) => examples.map((e) => e[f] ?? null));
}

/** The node's rows, keys it does not report left out. */
export function layerCard(layer: TraceLayer): LayerCard {
  const record = layer as unknown as Record<string, unknown>;
  const rows: CardRow[] = [];
  for (const [key, label, phase, perExample] of KEYS) {
    const value = record[key];
    if (value === null || value === undefined) continue;
    if (layer.kind === "dense" && (key === "grad_bias" || key === "bias_after")) continue; // the weights table has them
    const features = asRows(value, perExample);
    features.forEach((values, f) =>
      rows.push({
        key,
        label: features.length > 1 ? `${label} [${f + 1}]` : label,
        phase,
        values,
        batch: !perExample,
        feature: f,
      }),
    );
  }
  const scale = typeof record.keep_probability === "number" ? ` (ρ = ${record.keep_probability})` : "";
  return { id: layer.id, kind: layer.kind, title: `${KIND_TITLES[layer.kind] ?? layer.kind}${scale}`, rows };
}

/** A dense node's weights before, their batch gradient and after, as [name, before, grad, after]. */
export function denseWeights(layer: TraceLayer): [string, Num, Num, Num][] {
  if (layer.kind !== "dense") return [];
  const w = matrix(layer.weights as never);
  const g = matrix(layer.grad_weights as never);
  const after = matrix(layer.weights_after as never);
  const b = (layer.bias ?? []) as Num[];
  const gb = (layer.grad_bias ?? []) as Num[];
  const bAfter = (layer.bias_after ?? []) as Num[];
  const out: [string, Num, Num, Num][] = [];
  w.forEach((row, i) => {
    out.push([`b[${i + 1}]`, b[i] ?? null, gb[i] ?? null, bAfter[i] ?? null]);
    row.forEach((v, j) => out.push([`W[${i + 1},${j + 1}]`, v, g[i]?.[j] ?? null, after[i]?.[j] ?? null]));
  });
  return out;
}

/** True when neither the book's dense tables nor the convolution walk-through fit the trace. */
export function needsLayerCards(layers: readonly TraceLayer[]): boolean {
  const special = new Set(["batchnorm", "activation", "dropout", "add", "concat"]);
  return layers.some((l) => special.has(l.kind));
}
