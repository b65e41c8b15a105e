/** One step of the edited network's own optimiser, as rows of numbers per parameter. Pure. */
import type { Tensor, TraceLayer } from "../../generated";
import { ungated } from "../../textbook/logic/trace";
import { exact } from "./race";

export type { TraceLayer } from "../../generated";

/** State columns in the order the lecture introduces them; only those the optimiser keeps show. */
export const STATE_COLUMNS: readonly [string, string][] = [
  ["velocity", "v"],
  ["sum_sq", "Σg²"],
  ["mean_sq", "E[g²]"],
  ["m", "m"],
  ["v", "v"],
  ["m_hat", "m̂"],
  ["v_hat", "v̂"],
];

export const MAX_ROWS_PER_LAYER = 8;

function flat(t: Tensor | undefined): (number | null)[] {
  if (t === undefined || t === null) return [];
  if (typeof t === "number") return [t];
  return t.flatMap((x) => flat(x));
}

export interface StepRow {
  name: string;
  before: string;
  grad: string;
  state: Record<string, string>;
  after: string;
}

/** The first parameters of a layer (weights, then biases), each with g, the state and its new value. */
export function layerRows(layer: TraceLayer, limit = MAX_ROWS_PER_LAYER): StepRow[] {
  const rows: StepRow[] = [];
  const sources = [
    {
      key: "weights",
      label: "w",
      before: layer.weights,
      grad: layer.grad_weights,
      after: layer.weights_after,
    },
    { key: "bias", label: "b", before: layer.bias, grad: layer.grad_bias, after: layer.bias_after },
  ] as const;
  for (const src of sources) {
    // one tensor per parameter: the lab steps dense and conv networks (a gated map reads as absent)
    const before = flat(ungated(src.before));
    const grad = flat(ungated(src.grad));
    const after = flat(ungated(src.after));
    const state = Object.fromEntries(
      Object.entries(layer.optimizer_state?.[src.key] ?? {}).map(([k, v]) => [k, flat(v)]),
    );
    for (let i = 0; i < before.length && rows.length < limit; i++) {
      rows.push({
        name: `${src.label}${i + 1}`,
        before: exact(before[i]),
        grad: exact(grad[i]),
        state: Object.fromEntries(Object.entries(state).map(([k, v]) => [k, exact(v[i])])),
        after: exact(after[i]),
      });
    }
  }
  return rows;
}
