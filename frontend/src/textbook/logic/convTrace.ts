/**
 * The convolution part of a trace, unpacked for the walk-through: the first conv2d layer (its padded
 * input, filters, patches, products, z, a, δ, gradients) and the pooling layer right after it.
 * Everything is for the first example (the trace reports receptive fields for that one only).
 */
import type { Geometry, Pair } from "./conv";
import { ungated, type ParameterStep, type Tensor, type TraceResponse } from "./trace";

export type Grid = number[][];

/** Weights [out][C][kh][kw], bias [out]. */
export interface ConvPart extends ParameterStep<Grid[][], number[]> {
  layerIndex: number;
  id: string;
  activation: string;
  geometry: Geometry;
  channels: number;
  filters: number;
  /** [C][Hp][Wp] */
  paddedInput: Grid[];
  /** [Ho][Wo][C][kh][kw] */
  patches: Grid[][][];
  /** [out][Ho][Wo][C][kh][kw] */
  products: Grid[][][][];
  /** [out][Ho][Wo] */
  z: Grid[];
  a: Grid[];
  delta: Grid[];
  dE_da: Grid[];
}

export interface PoolPart {
  layerIndex: number;
  id: string;
  kind: "maxpool2d" | "avgpool2d";
  geometry: Geometry;
  /** [C][Ho][Wo] */
  a: Grid[];
  delta: Grid[];
  /** [C][Ho][Wo] (row, col) in the input map; max pooling only */
  winners: Pair[][][] | null;
  /** [C][H][W] */
  routed: Grid[];
}

function num(t: Tensor | undefined): number {
  return typeof t === "number" ? t : 0;
}

/** A nested tensor with nulls as 0 (non-finite values do not occur in the lecture's conv examples). */
function deep<T>(t: Tensor | undefined): T {
  if (!Array.isArray(t)) return num(t) as T;
  return t.map((v) => deep(v)) as T;
}

function pair(v: number[] | null | undefined, fallback: number): Pair {
  return [v?.[0] ?? fallback, v?.[1] ?? v?.[0] ?? fallback];
}

export function convPart(trace: TraceResponse): ConvPart | null {
  const layerIndex = trace.layers.findIndex((l) => l.kind === "conv2d");
  const l = trace.layers[layerIndex];
  if (!l || !l.receptive_fields) return null;
  const paddedInput = deep<Grid[]>(l.receptive_fields.padded_input);
  const weights = deep<Grid[][]>(ungated(l.weights));
  const padding = pair(l.padding, 0);
  const kernel: Pair = [weights[0]?.[0]?.length ?? 1, weights[0]?.[0]?.[0]?.length ?? 1];
  const first = <T>(t: Tensor | undefined): T => deep<T[]>(t)[0] as T;
  return {
    layerIndex,
    id: l.id,
    activation: l.activation ?? "linear",
    geometry: {
      size: [
        (paddedInput[0]?.length ?? 0) - 2 * padding[0],
        (paddedInput[0]?.[0]?.length ?? 0) - 2 * padding[1],
      ],
      kernel,
      stride: pair(l.stride, 1),
      padding,
    },
    channels: paddedInput.length,
    filters: weights.length,
    paddedInput,
    weights,
    bias: deep<number[]>(ungated(l.bias)),
    weightsAfter: deep<Grid[][]>(ungated(l.weights_after)),
    biasAfter: deep<number[]>(ungated(l.bias_after)),
    gradWeights: deep<Grid[][]>(ungated(l.grad_weights)),
    gradBias: deep<number[]>(ungated(l.grad_bias)),
    patches: deep<Grid[][][]>(l.receptive_fields.patches),
    products: deep<Grid[][][][]>(l.receptive_fields.products),
    z: first<Grid[]>(l.z),
    a: first<Grid[]>(l.a),
    delta: first<Grid[]>(ungated(l.delta)),
    dE_da: first<Grid[]>(l.dE_da),
  };
}

export function poolPart(trace: TraceResponse, after: number): PoolPart | null {
  const l = trace.layers[after + 1];
  if (!l || (l.kind !== "maxpool2d" && l.kind !== "avgpool2d")) return null;
  const routed = deep<Grid[][]>(l.routed_delta)[0] ?? [];
  const first = <T>(t: Tensor | undefined): T => deep<T[]>(t)[0] as T;
  return {
    layerIndex: after + 1,
    id: l.id,
    kind: l.kind,
    geometry: {
      size: [routed[0]?.length ?? 0, routed[0]?.[0]?.length ?? 0],
      kernel: pair(l.kernel, 2),
      stride: pair(l.stride, 2),
      padding: pair(l.padding, 0),
    },
    a: first<Grid[]>(l.a),
    delta: first<Grid[]>(ungated(l.delta)),
    winners: l.winners ? (first<Pair[][][]>(l.winners) ?? null) : null,
    routed,
  };
}

/** The walk-through's view for a stage of the stepper. */
export type ConvPhase =
  | "input"
  | "conv-forward"
  | "pool-forward"
  | "head-forward"
  | "head-backward"
  | "pool-backward"
  | "conv-backward"
  | "update";

export function convPhase(
  stage: { kind: string; layer?: number },
  conv: number,
  pool: number | null,
): ConvPhase {
  if (stage.kind === "idle") return "input";
  if (stage.kind === "updated") return "update";
  const layer = stage.layer ?? 0;
  if (stage.kind === "forward") {
    if (layer === conv) return "conv-forward";
    if (pool !== null && layer === pool) return "pool-forward";
    return layer < conv ? "input" : "head-forward";
  }
  if (layer === conv) return "conv-backward";
  if (pool !== null && layer === pool) return "pool-backward";
  return "head-backward";
}
