/**
 * A traced recurrent layer unrolled in time for one example, the way the lecture draws BPTT: per
 * step t the input x_t, z_t, h_t (an LSTM's gates and cell state too) and δ_t, and for a simple RNN
 * the gradient each step adds to W_hh and W_hx, which the update sums. With the lecture's gradient
 * counts: a loss at the last step reaches an output weight once and every recurrent weight T times.
 */
import { isRecurrentKind } from "../../spec/types";
import { matrix, type TraceLayer } from "./trace";

type Num = number | null;

export interface UnrolledRow {
  /** what the row holds, as the lecture writes it */
  label: string;
  /** the quantity, for formatting and test ids */
  key: string;
  unit: number;
  /** one value per step t = 1 … T */
  values: Num[];
  /** the row belongs to the backward pass */
  backward: boolean;
}

export interface StepGradient {
  /** which matrix: hh or hx */
  matrix: "hh" | "hx";
  row: number;
  col: number;
  /** ∂E/∂w added at each step */
  perStep: Num[];
  /** their sum: the gradient the update uses */
  sum: Num;
}

export interface UnrolledLayer {
  id: string;
  kind: string;
  steps: number;
  rows: UnrolledRow[];
  gradients: StepGradient[];
}

function perStep(tensor: unknown, example: number): Num[][] {
  // [N][T][units] → [T][units] of one example
  const all = Array.isArray(tensor) ? (tensor as unknown[]) : [];
  return matrix((all[example] ?? []) as never);
}

function rowsOf(label: string, key: string, steps: Num[][], backward: boolean): UnrolledRow[] {
  const units = steps[0]?.length ?? 0;
  return Array.from({ length: units }, (_, u) => ({
    label: `${label}${units > 1 ? ` [${u + 1}]` : ""}`,
    key,
    unit: u,
    values: steps.map((s) => s[u] ?? null),
    backward,
  }));
}

const GATE_LABELS: Record<string, string> = {
  forget: "f (forget)",
  input: "i† (input)",
  candidate: "i‡ (candidate)",
  output: "o† (output)",
  reset: "r (reset)",
  update: "u (update)",
};

/** The layer unrolled for one example; null when the layer is not recurrent. */
export function unrollLayer(layer: TraceLayer, inputs: unknown, example: number): UnrolledLayer | null {
  if (!isRecurrentKind(layer.kind)) return null;
  const h = perStep(layer.h ?? layer.a, example);
  const steps = h.length;
  const x = perStep(inputs, example);
  const rows: UnrolledRow[] = [...rowsOf("x_t", "x", x, false)];
  if (layer.kind === "rnn") {
    rows.push(...rowsOf("z_t", "z", perStep(layer.z, example), false));
  } else {
    const gates = (layer.gates ?? {}) as Record<string, unknown>;
    for (const [gate, values] of Object.entries(gates))
      rows.push(...rowsOf(GATE_LABELS[gate] ?? gate, `gate-${gate}`, perStep(values, example), false));
    if (layer.c) rows.push(...rowsOf("c_t", "c", perStep(layer.c, example), false));
  }
  rows.push(...rowsOf("h_t", "h", h, false));
  const delta = layer.delta;
  if (Array.isArray(delta)) {
    rows.push(...rowsOf("δ_t = ∂E/∂z_t", "delta", perStep(delta, example), true));
  } else if (delta && typeof delta === "object") {
    for (const [gate, values] of Object.entries(delta as Record<string, unknown>))
      rows.push(
        ...rowsOf(
          gate === "h" || gate === "c" ? `∂E/∂${gate}_t` : `δ ${GATE_LABELS[gate] ?? gate}`,
          `delta-${gate}`,
          perStep(values, example),
          true,
        ),
      );
  }
  return { id: layer.id, kind: layer.kind, steps, rows, gradients: stepGradients(layer) };
}

/** A simple RNN's per-step weight gradients (summed over the examples) and their sums. */
export function stepGradients(layer: TraceLayer): StepGradient[] {
  const perStepGrads = layer.grad_weights_per_step as Record<string, unknown> | null | undefined;
  const sums = layer.grad_weights as Record<string, unknown> | null | undefined;
  if (!perStepGrads || !sums || Array.isArray(sums)) return [];
  const out: StepGradient[] = [];
  for (const name of ["hh", "hx"] as const) {
    const steps = ((perStepGrads[name] ?? []) as unknown[]).map((m) => matrix(m as never));
    const total = matrix(sums[name] as never);
    total.forEach((row, r) =>
      row.forEach((sum, c) =>
        out.push({ matrix: name, row: r, col: c, perStep: steps.map((m) => m[r]?.[c] ?? null), sum }),
      ),
    );
  }
  return out;
}

/**
 * The lecture's gradient counts for a loss at the last step: how many gradients BPTT sums into each
 * weight matrix of the chain (the output layer's once, each recurrent matrix once per step).
 */
export function gradientCounts(
  layers: readonly TraceLayer[],
  steps: number,
): { name: string; count: number }[] {
  const out: { name: string; count: number }[] = [];
  for (const l of layers) {
    if (l.kind === "rnn") {
      out.push({ name: `W_hh (${l.id})`, count: steps }, { name: `W_hx (${l.id})`, count: steps });
    } else if (l.kind === "lstm" || l.kind === "gru") {
      out.push({ name: `every gate's W (${l.id})`, count: steps });
    } else if (l.kind === "dense") {
      // read at every step when the recurrent layer returns its whole sequence
      const first = (Array.isArray(l.a) ? l.a[0] : null) as unknown;
      const perStepOutput = Array.isArray(first) && Array.isArray(first[0]);
      out.push({ name: `W_yh (${l.id})`, count: perStepOutput ? steps : 1 });
    }
  }
  return out;
}

/** True when the trace has a recurrent layer: textbook mode walks it unrolled in time. */
export function isRecurrentTrace(layers: readonly TraceLayer[]): boolean {
  return layers.some((l) => isRecurrentKind(l.kind));
}
