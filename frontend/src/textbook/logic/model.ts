/**
 * A traced dense chain in the book's terms: numbered neurons, per-example z, a, ∂a/∂z, δ, each
 * weight's per-example gradient, the batch Δw and the weights after one step. And the rows of the
 * book's tables (Table 4: predictions and errors; Tables 5–6: neurons; Tables 7–8: weights).
 */
import {
  numberNeurons,
  bookWeightOrder,
  sourcesOf,
  valueOf,
  weightName,
  type Numbering,
  type WeightRef,
} from "./numbering";
import { matrix, ungated, vector, type ParameterStep, type Rows, type TraceResponse } from "./trace";
import { stateNames, type StateName } from "./updateRule";
import type { OptimizerSpec } from "../../generated";

type Num = number | null;

/** Weights [unit][source], bias [unit]. */
export interface DenseLayerModel extends ParameterStep<Num[][], Num[]> {
  id: string;
  activation: string;
  /** book numbers of this layer's neurons */
  neurons: number[];
  /** [example][unit] */
  z: Num[][];
  a: Num[][];
  da_dz: Num[][];
  dE_da: Num[][];
  delta: Num[][];
  /** [example][unit][source] and [example][unit] */
  gradWeightsPerExample: Num[][][];
  gradBiasPerExample: Num[][];
  /** the optimiser's state after the step, by name: [unit][source] and [unit] */
  state: Partial<Record<StateName, { weights: Num[][]; bias: Num[] }>>;
}

export interface BookModel {
  numbering: Numbering;
  inputs: number[][];
  targets: number[][];
  layers: DenseLayerModel[];
  outputs: Num[][];
  outputsAfter: Num[][];
  loss: Num;
  lossAfter: Num;
  perExampleLoss: Num[];
  lossFunction: string;
  reduction: string;
  learningRate: number;
  /** the optimiser the step used; null: the book's plain gradient descent */
  optimizer: OptimizerSpec | null;
  /** which of the optimiser's steps this is (t = 1 from zero state) */
  optimizerStep: number;
  /** the optimiser state the tables show, in the lecture's order */
  stateNames: StateName[];
}

/** True when every traced layer is dense: the book's diagram and tables apply. */
export function isDenseChain(trace: TraceResponse): boolean {
  return trace.layers.length > 0 && trace.layers.every((l) => l.kind === "dense");
}

function product(a: Num, b: Num): Num {
  return a === null || b === null ? null : a * b;
}

export function buildBookModel(trace: TraceResponse, rows: Rows): BookModel | null {
  if (!isDenseChain(trace)) return null;
  const sizes = trace.layers.map((l) => vector(ungated(l.bias)).length);
  const inputSize = rows.inputs[0]?.length ?? 0;
  const numbering = numberNeurons(inputSize, sizes);
  const layers: DenseLayerModel[] = trace.layers.map((l, index) => {
    const a = matrix(l.a);
    const delta = matrix(ungated(l.delta));
    const prevA: Num[][] = index === 0 ? rows.inputs : matrix(trace.layers[index - 1]!.a);
    const perExample = Array.isArray(l.grad_weights_per_example)
      ? (l.grad_weights_per_example as unknown[]).map((e) => matrix(e as never))
      : // δ_i · a_k for each example: the same product the engine sums.
        delta.map((d, e) => d.map((di) => (prevA[e] ?? []).map((ak) => product(di, ak))));
    const perExampleB = Array.isArray(l.grad_bias_per_example) ? matrix(l.grad_bias_per_example) : delta;
    return {
      id: l.id,
      activation: l.activation ?? "linear",
      neurons: numbering.layers[index]!,
      z: matrix(l.z),
      a,
      da_dz: matrix(l.da_dz),
      dE_da: matrix(l.dE_da),
      delta,
      weights: matrix(ungated(l.weights)),
      bias: vector(ungated(l.bias)),
      gradWeights: matrix(ungated(l.grad_weights)),
      gradBias: vector(ungated(l.grad_bias)),
      weightsAfter: matrix(ungated(l.weights_after)),
      biasAfter: vector(ungated(l.bias_after)),
      gradWeightsPerExample: perExample,
      gradBiasPerExample: perExampleB,
      state: layerState(l.optimizer_state),
    };
  });
  return {
    numbering,
    inputs: rows.inputs,
    targets: rows.targets,
    layers,
    outputs: matrix(trace.outputs),
    outputsAfter: matrix(trace.outputs_after),
    loss: trace.loss,
    lossAfter: trace.loss_after ?? null,
    perExampleLoss: vector(trace.per_example_loss),
    lossFunction: trace.loss_function,
    reduction: trace.reduction,
    learningRate: trace.learning_rate,
    optimizer: trace.step_optimizer ?? null,
    optimizerStep: (trace.optimizer_t ?? 0) + 1,
    stateNames: stateNames(trace.layers.map((l) => l.optimizer_state?.weights)),
  };
}

type TracedState = TraceResponse["layers"][number]["optimizer_state"];

function layerState(traced: TracedState | undefined): DenseLayerModel["state"] {
  const out: DenseLayerModel["state"] = {};
  if (!traced) return out;
  for (const name of stateNames([traced.weights])) {
    out[name] = { weights: matrix(traced.weights?.[name]), bias: vector(traced.bias?.[name]) };
  }
  return out;
}

/** Example labels as the book writes them: d1, d2, … */
export function exampleLabel(e: number): string {
  return `d${e + 1}`;
}

/** Table 4 for one output neuron: per example target, prediction, error t − a, ∂E/∂a, Error². */
export interface OutputRow {
  neuron: number;
  target: Num[];
  prediction: Num[];
  error: Num[];
  dE_da: Num[];
  error2: Num[];
}

export function outputRows(model: BookModel, after = false): OutputRow[] {
  const last = model.layers[model.layers.length - 1];
  if (!last) return [];
  const outputs = after ? model.outputsAfter : model.outputs;
  return last.neurons.map((neuron, u) => {
    const target = model.targets.map((t) => t[u] ?? null);
    const prediction = outputs.map((o) => o[u] ?? null);
    const error = prediction.map((p, e) => (p === null || target[e] === null ? null : target[e]! - p));
    return {
      neuron,
      target,
      prediction,
      error,
      // After the step the trace has no ∂E/∂a; for ½·SSE it is −(t − a).
      dE_da: after ? error.map((x) => (x === null ? null : -x)) : last.dE_da.map((d) => d[u] ?? null),
      error2: error.map((x) => (x === null ? null : x * x)),
    };
  });
}

/** Tables 5–6: one row per neuron with its per-example z, a, ∂a/∂z, δ. */
export interface NeuronRow {
  neuron: number;
  layer: number;
  layerId: string;
  z: Num[];
  a: Num[];
  da_dz: Num[];
  delta: Num[];
}

export function neuronRows(model: BookModel): NeuronRow[] {
  const out: NeuronRow[] = [];
  model.layers.forEach((l, layer) =>
    l.neurons.forEach((neuron, u) =>
      out.push({
        neuron,
        layer,
        layerId: l.id,
        z: l.z.map((r) => r[u] ?? null),
        a: l.a.map((r) => r[u] ?? null),
        da_dz: l.da_dz.map((r) => r[u] ?? null),
        delta: l.delta.map((r) => r[u] ?? null),
      }),
    ),
  );
  return out;
}

/** Tables 7–8: one row per weight: per-example ∂E/∂w, the batch Δw, w before and after. */
export interface WeightRow extends WeightRef {
  name: string;
  layer: number;
  perExample: Num[];
  /** a_k per example (1 for the bias) */
  source: Num[];
  /** δ_i per example */
  delta: Num[];
  sum: Num;
  before: Num;
  after: Num;
  /** the optimiser's state for this weight after the step */
  state: Partial<Record<StateName, Num>>;
}

export function weightRows(model: BookModel): WeightRow[] {
  const layerOf = new Map<number, number>();
  model.numbering.layers.forEach((ns, l) => ns.forEach((n) => layerOf.set(n, l)));
  return bookWeightOrder(model.numbering).map((ref) => {
    const layer = layerOf.get(ref.i)!;
    const l = model.layers[layer]!;
    const prevA: Num[][] = layer === 0 ? model.inputs : model.layers[layer - 1]!.a;
    const perExample = l.gradWeightsPerExample.map((g, e) =>
      ref.col < 0 ? (l.gradBiasPerExample[e]?.[ref.row] ?? null) : (g[ref.row]?.[ref.col] ?? null),
    );
    return {
      ...ref,
      name: weightName(ref.i, ref.k),
      layer,
      perExample,
      source: model.inputs.map((_, e) => (ref.col < 0 ? 1 : (prevA[e]?.[ref.col] ?? null))),
      delta: l.delta.map((d) => d[ref.row] ?? null),
      sum: valueOf(l.gradWeights, l.gradBias, ref) ?? null,
      before: valueOf(l.weights, l.bias, ref) ?? null,
      after: valueOf(l.weightsAfter, l.biasAfter, ref) ?? null,
      state: Object.fromEntries(
        model.stateNames.map((name) => {
          const s = l.state[name];
          return [name, s ? (valueOf(s.weights, s.bias, ref) ?? null) : null];
        }),
      ),
    };
  });
}

/** Book neuron number → the layer and unit that hold it. */
export function locateNeuron(model: BookModel, neuron: number): { layer: number; unit: number } | null {
  for (let layer = 0; layer < model.layers.length; layer++) {
    const unit = model.layers[layer]!.neurons.indexOf(neuron);
    if (unit >= 0) return { layer, unit };
  }
  return null;
}

/** Neurons feeding neuron `neuron` (0 = bias first), for the δ and gradient explanations. */
export function sourcesOfNeuron(model: BookModel, neuron: number): number[] {
  const at = locateNeuron(model, neuron);
  return at ? [0, ...sourcesOf(model.numbering, at.layer)] : [];
}
