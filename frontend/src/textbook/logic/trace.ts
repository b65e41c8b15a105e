/**
 * The `POST /api/v1/trace` contract (shared_schemas/trace.py) and how textbook mode builds a request
 * from a RunSpec: the examples come from the spec's inline data, or from the server's preview of a
 * small table dataset (the power-plant rows, the logic gates).
 */
import type { DataPreview, OptimizerSpec, Tensor, TraceRequest, TraceSpecRequest } from "../../generated";
import type { RunSpec } from "../../spec/types";
import { parallelWorkers } from "./parallelWalk";

export type { Tensor, TraceLayer, TraceRequest, TraceResponse } from "../../generated";

export type LossName = NonNullable<TraceRequest["loss"]>;

/**
 * A weighted layer's parameters across one step, as the walk-throughs show them: before, their
 * gradient summed over the batch, and after the update. W and B are the shapes of weights and bias.
 */
export interface ParameterStep<W, B> {
  weights: W;
  bias: B;
  gradWeights: W;
  gradBias: B;
  weightsAfter: W;
  biasAfter: B;
}

/** Examples for a trace: one input row and one target row each. */
export interface Rows {
  inputs: number[][];
  targets: number[][];
  /** the number of training rows when only the first `inputs.length` are traced */
  of?: number;
  featureNames?: string[];
  targetNames?: string[];
}

/** The server's data preview (GET/POST /datasets/preview), the part textbook mode reads. */
export type TablePreview = Pick<DataPreview, "kind"> &
  Partial<Pick<DataPreview, "table" | "feature_names" | "target_names" | "input_shape">>;

function asRow(v: unknown): number[] {
  if (Array.isArray(v)) return (v.flat(Infinity) as unknown[]).map(Number);
  return [Number(v)];
}

/** Inline examples straight from the spec, or null when the data must come from the server. */
export function inlineRows(spec: RunSpec): Rows | null {
  const data = spec.data;
  if (data?.dataset !== "inline" || !data.inputs || !data.targets) return null;
  return capRows({ inputs: data.inputs.map(asRow), targets: data.targets.map(asRow) });
}

/** The most examples textbook mode traces: the book's tables have four; more do not fit a screen. */
export const MAX_ROWS = 8;

/** The first rows only, remembering how many there were. */
export function capRows(rows: Rows, limit = MAX_ROWS): Rows {
  if (rows.inputs.length <= limit) return rows;
  return {
    ...rows,
    inputs: rows.inputs.slice(0, limit),
    targets: rows.targets.slice(0, limit),
    of: rows.inputs.length,
  };
}

/** The training rows of a table preview, split into inputs and targets by the column names. */
export function rowsFromPreview(preview: TablePreview): Rows | string {
  const table = preview.table;
  if (preview.kind !== "table" || !table) {
    return "Textbook mode traces small tables of examples (inline rows, the power-plant table, the logic gates); this network's dataset is not one. Pick a worked example instead.";
  }
  const nIn = preview.feature_names?.length ?? (preview.input_shape ?? []).reduce((p, s) => p * s, 1);
  const rows = table.rows.filter((_, i) => (table.split[i] ?? "train") === "train");
  if (rows.length === 0) return "The dataset has no training rows.";
  return capRows({
    inputs: rows.map((r) => r.slice(0, nIn).map(Number)),
    targets: rows.map((r) => r.slice(nIn).map(Number)),
    featureNames: table.columns.slice(0, nIn),
    targetNames: table.columns.slice(nIn),
  });
}

/** A textbook preset's own trace options (its `trace` field): what the book's numbers need. */
export type PresetTraceOptions = Pick<TraceSpecRequest, "reduction" | "example_indices" | "masks">;

/** The rows a preset asks for (`example_indices`), in that order; all rows without it. */
export function selectRows(rows: Rows, indices?: readonly number[] | null): Rows {
  if (!indices || indices.length === 0) return rows;
  const keep = indices.filter((i) => i >= 0 && i < rows.inputs.length);
  return { ...rows, inputs: keep.map((i) => rows.inputs[i]!), targets: keep.map((i) => rows.targets[i]!) };
}

/**
 * The trace request for a spec and its rows (with `optimizer`, one step of it instead of plain
 * gradient descent). The book sums the batch gradient for both ½·SSE and
 * cross-entropy (Table 16), so textbook mode asks for "sum" there; other losses keep their own,
 * and a preset's own `trace.reduction` has the last word.
 */
export function traceRequest(
  spec: RunSpec,
  rows: Rows,
  options: PresetTraceOptions = {},
  optimizer: OptimizerSpec | null = null,
): TraceRequest {
  const loss = (spec.training?.loss ?? "half_sse") as LossName;
  const input = spec.network.nodes.find((n) => n.kind === "input");
  const shape = input && "shape" in input ? input.shape : [];
  const request: TraceRequest = {
    network: spec.network,
    // a recurrent network reads each example as a sequence [T][F]
    inputs: shape.length === 2 ? asSequences(rows.inputs, shape) : rows.inputs,
    targets: rows.targets,
    loss,
    learning_rate: spec.training?.optimizer?.lr ?? 0.1,
    dtype: "float64",
    seed: spec.seed ?? 0,
  };
  if (loss === "half_sse" || loss === "cross_entropy") request.reduction = "sum";
  if (options.reduction) request.reduction = options.reduction;
  // the worked example's own dropout draws (Algorithm 2's masks)
  if (options.masks) request.masks = options.masks;
  // One step of the spec's own optimiser (its lr) instead of the book's plain step.
  if (optimizer) request.optimizer = optimizer;
  // A data-parallel spec walks the same step across its workers too.
  const workers = parallelWorkers(spec, rows.inputs.length);
  if (workers !== null) request.parallel_workers = workers;
  if (spec.training?.trainer === "perceptron") {
    request.rule = "perceptron";
    // a sign unit answers ±1, so its 0/1 labels are read as −1/+1, as in training
    const out = spec.network.nodes[spec.network.nodes.length - 1];
    const act = out && "activation" in out ? out.activation : undefined;
    const kind = typeof act === "string" ? act : act?.kind;
    if (kind === "sign") {
      request.targets = rows.targets.map((row) =>
        Array.isArray(row) ? row.map((v) => 2 * Number(v) - 1) : 2 * Number(row) - 1,
      );
    }
  }
  return request;
}

/** A tensor as a 2-D array of numbers (null for non-finite). */
export function matrix(t: Tensor | undefined): (number | null)[][] {
  if (!Array.isArray(t)) return [];
  return t.map((row) =>
    Array.isArray(row)
      ? (row as Tensor[]).map((v) => (typeof v === "number" ? v : null))
      : [typeof row === "number" ? row : null],
  );
}

/** A tensor as a 1-D array of numbers (null for non-finite). */
export function vector(t: Tensor | undefined): (number | null)[] {
  if (!Array.isArray(t)) return typeof t === "number" ? [t] : [];
  return t.map((v) => (typeof v === "number" ? v : null));
}

/** A traced parameter or δ: one tensor (dense, conv) or, for lstm and gru, one tensor per gate. */
export type MaybeGated = Tensor | { [gate: string]: Tensor } | undefined;

/**
 * The tensor of a dense or conv layer. A recurrent layer's per-gate map has no single tensor, so it
 * reads as absent here (the dense and conv walk-throughs never trace one).
 */
export function ungated(t: MaybeGated): Tensor | undefined {
  if (t === undefined || t === null || typeof t === "number" || Array.isArray(t)) return t;
  return undefined;
}

/** Flat example rows as the [T][F] sequences a recurrent input node of `shape` reads. */
export function asSequences(inputs: readonly (readonly number[])[], shape: readonly number[]): number[][][] {
  const [steps = 1, features = 1] = shape;
  return inputs.map((row) =>
    Array.from({ length: steps }, (_, t) =>
      Array.from({ length: features }, (_, f) => row[t * features + f] ?? 0),
    ),
  );
}

/**
 * A preset's masks for a walk over one example: a dropout node's mask has a row per example, so the
 * example's own row is kept; DropConnect and stochastic-depth masks are the step's and stay whole.
 */
export function masksForExample(
  spec: RunSpec,
  masks: PresetTraceOptions["masks"],
  example: number | null,
): PresetTraceOptions["masks"] {
  if (!masks || example === null) return masks;
  const dropouts = new Set(spec.network.nodes.filter((n) => n.kind === "dropout").map((n) => n.id));
  return Object.fromEntries(
    Object.entries(masks).map(([id, m]) => [id, dropouts.has(id) && Array.isArray(m) ? [m[example]] : m]),
  ) as PresetTraceOptions["masks"];
}
