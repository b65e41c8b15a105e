/**
 * "Book rounding": the dense chain recomputed the way the book's hand-worked tables are, rounding a,
 * ∂a/∂z and δ to 4 decimals before they are reused (products are kept unrounded, and the SSE is taken
 * from the 4-dp predictions). This reproduces the printed values exactly (δ8 = 0.0852,
 * Δw7,5 = 0.00153726, SSE 0.17921847), where the float64 engine differs in the 5th–6th digit.
 */
import { bookRound } from "./format";
import type { BookModel, DenseLayerModel } from "./model";

type Num = number | null;

const SUPPORTED = new Set(["sigmoid", "logistic", "relu", "tanh", "linear", "identity"]);

/** Why book rounding cannot be applied to this model, or null when it can. */
export function bookRoundingBlocker(model: BookModel): string | null {
  if (model.lossFunction !== "half_sse")
    return "Book rounding follows the book's ½·SSE tables; this network uses another loss.";
  const other = model.layers.find((l) => !SUPPORTED.has(l.activation));
  if (other)
    return `Book rounding covers logistic, ReLU, tanh and linear neurons; layer ${other.id} uses ${other.activation}.`;
  return null;
}

function phi(kind: string, z: number): number {
  if (kind === "sigmoid" || kind === "logistic") return 1 / (1 + Math.exp(-z));
  if (kind === "relu") return z > 0 ? z : 0;
  if (kind === "tanh") return Math.tanh(z);
  return z;
}

/** ∂a/∂z from the (rounded) activation, as the book computes it: a(1 − a) for the logistic. */
function derivative(kind: string, z: number, a: number): number {
  if (kind === "sigmoid" || kind === "logistic") return a * (1 - a);
  if (kind === "relu") return z > 0 ? 1 : 0;
  if (kind === "tanh") return 1 - a * a;
  return 1;
}

interface Forward {
  z: number[][];
  a: number[][];
  da_dz: number[][];
}

function forward(
  layers: readonly { activation: string; weights: number[][]; bias: number[] }[],
  inputs: number[][],
): Forward[] {
  const out: Forward[] = [];
  let prev = inputs;
  for (const l of layers) {
    const z = prev.map((x) =>
      l.weights.map((row, i) => row.reduce((s, w, k) => s + w * (x[k] ?? 0), l.bias[i] ?? 0)),
    );
    const a = z.map((r) => r.map((v) => bookRound(phi(l.activation, v))));
    const da_dz = z.map((r, e) => r.map((v, i) => bookRound(derivative(l.activation, v, a[e]![i]!))));
    out.push({ z, a, da_dz });
    prev = a;
  }
  return out;
}

function numbers(m: readonly (readonly Num[])[]): number[][] {
  return m.map((r) => r.map((v) => v ?? 0));
}

function halfSse(targets: number[][], predictions: number[][]): { total: number; perExample: number[] } {
  const perExample = predictions.map(
    (p, e) => 0.5 * p.reduce((s, v, u) => s + ((targets[e]?.[u] ?? 0) - v) ** 2, 0),
  );
  return { total: perExample.reduce((s, v) => s + v, 0), perExample };
}

/** The model with every quantity recomputed under the book's 4-dp rounding. */
export function roundLikeTheBook(model: BookModel): BookModel {
  const params = model.layers.map((l) => ({
    activation: l.activation,
    weights: numbers(l.weights),
    bias: l.bias.map((b) => b ?? 0),
  }));
  const fwd = forward(params, model.inputs);
  const L = params.length;
  const deltas: number[][][] = new Array(L);
  const dE_das: number[][][] = new Array(L);
  const outA = fwd[L - 1]!.a;
  dE_das[L - 1] = outA.map((p, e) => p.map((v, u) => -((model.targets[e]?.[u] ?? 0) - v)));
  for (let l = L - 1; l >= 0; l--) {
    if (l < L - 1) {
      const next = params[l + 1]!;
      dE_das[l] = deltas[l + 1]!.map((d) =>
        params[l]!.bias.map((_, i) => d.reduce((s, dj, j) => s + dj * next.weights[j]![i]!, 0)),
      );
    }
    deltas[l] = dE_das[l]!.map((g, e) => g.map((v, i) => bookRound(v * fwd[l]!.da_dz[e]![i]!)));
  }
  const layers: DenseLayerModel[] = model.layers.map((l, index) => {
    const prevA = index === 0 ? model.inputs : fwd[index - 1]!.a;
    const delta = deltas[index]!;
    const perExample = delta.map((d, e) => d.map((di) => prevA[e]!.map((ak) => di * ak)));
    const gradWeights = params[index]!.weights.map((row, i) =>
      row.map((_, k) => perExample.reduce((s, g) => s + g[i]![k]!, 0)),
    );
    const gradBias = params[index]!.bias.map((_, i) => delta.reduce((s, d) => s + d[i]!, 0));
    const lr = model.learningRate;
    return {
      ...l,
      z: fwd[index]!.z,
      a: fwd[index]!.a,
      da_dz: fwd[index]!.da_dz,
      dE_da: dE_das[index]!,
      delta,
      gradWeights,
      gradBias,
      weightsAfter: params[index]!.weights.map((row, i) => row.map((w, k) => w - lr * gradWeights[i]![k]!)),
      biasAfter: params[index]!.bias.map((b, i) => b - lr * gradBias[i]!),
      gradWeightsPerExample: perExample,
      gradBiasPerExample: delta,
    };
  });
  const after = forward(
    layers.map((l) => ({
      activation: l.activation,
      weights: numbers(l.weightsAfter),
      bias: l.biasAfter.map((b) => b ?? 0),
    })),
    model.inputs,
  );
  const before = halfSse(model.targets, outA);
  const outputsAfter = after[L - 1]!.a;
  return {
    ...model,
    layers,
    outputs: outA,
    outputsAfter,
    loss: before.total,
    lossAfter: halfSse(model.targets, outputsAfter).total,
    perExampleLoss: before.perExample,
  };
}
