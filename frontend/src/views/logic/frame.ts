/**
 * The parts of a telemetry frame (DESIGN.md "Websocket", shared_schemas/snapshot.py) that the live views read.
 * Everything optional is treated as possibly missing: a frame may carry only some channels or layers.
 * The generated frame type is structurally assignable to `FrameLike`.
 */
import type { Diagnostic } from "../../generated/snapshot";

/** The glossary shared by Python, the wire and the UI: z = pre-activation, a = activation, delta = ∂L/∂z. */
export const QUANTITIES = ["W", "b", "z", "a", "delta", "grad_W"] as const;
export type QuantityKey = (typeof QUANTITIES)[number];

/** UI labels for the glossary names (same identifiers, typeset). */
export const QUANTITY_LABEL: Record<QuantityKey, string> = {
  W: "W",
  b: "b",
  z: "z",
  a: "a",
  delta: "δ",
  grad_W: "∂L/∂W",
};

export interface HistLike {
  lo: number;
  hi: number;
  counts: ArrayLike<number>;
}

/** Histogram of log10|x| over fixed edges; `zeros` counts exact zeros (log undefined). */
export interface LogHistLike extends HistLike {
  zeros?: number;
}

export interface StatsLike {
  mean?: number | null;
  std?: number | null;
  rms?: number | null;
  min?: number | null;
  max?: number | null;
  frac_zero?: number | null;
  frac_nonfinite?: number | null;
  frac_saturated?: number | null;
  frac_dead?: number | null;
}

export interface QuantityLike {
  stats?: StatsLike | null;
  hist?: HistLike | null;
  loghist?: LogHistLike | null;
}

export type ActivationLike = string | { kind: string; [k: string]: unknown } | null | undefined;

export interface LayerLike {
  id: string;
  kind?: string;
  activation?: ActivationLike;
  n_in?: number | null;
  n_out?: number | null;
  W?: QuantityLike | null;
  b?: QuantityLike | null;
  z?: QuantityLike | null;
  a?: QuantityLike | null;
  delta?: QuantityLike | null;
  grad_W?: QuantityLike | null;
  update_ratio?: number | null;
  var_z_predicted?: number | null;
  var_z_measured?: number | null;
  grad_W_norm?: number | null;
  delta_rms?: number | null;
  /** dense layers of at most 1,024 weights: every weight, row-major W[out][in] (length n_out·n_in) */
  W_values?: ArrayLike<number> | null;
  /** dense layers of at most 1,024 weights: each unit's mean activation over the batch (length n_out) */
  a_mean?: ArrayLike<number> | null;
  /** |z| beyond which the engine counts a unit as saturated (sigmoid/tanh), if any */
  saturation_zone?: ArrayLike<number> | null;
  [k: string]: unknown;
}

/**
 * The `boundary` channel (glassnet.engine.boundary): grids are flat, row-major, row 0 at y_range[0]
 * (the bottom). Binary/regression outputs come as `output`; multi-class as `classes` (argmax index) and
 * `confidence`. `neurons[layer][unit]` is each hidden unit's activation over a coarser grid.
 */
export interface BoundaryLike {
  x_range?: ArrayLike<number> | null;
  y_range?: ArrayLike<number> | null;
  resolution?: number | null;
  neuron_resolution?: number | null;
  output?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | null;
  classes?: ArrayLike<number> | null;
  confidence?: ArrayLike<number> | null;
  neurons?: Record<string, ArrayLike<ArrayLike<number>>> | null;
  [k: string]: unknown;
}

/** One conv or pooling layer of the `feature_maps` channel (glassnet.engine.features); arrays are flat. */
export interface MapLayerLike {
  id: string;
  kind: string;
  /** id of the node feeding this layer */
  input?: string | null;
  /** [channels, h, w] of `maps` (at most 16 channels are sent) */
  shape: ArrayLike<number>;
  maps: ArrayLike<number>;
  kernel?: number | ArrayLike<number> | null;
  stride?: number | ArrayLike<number> | null;
  padding?: number | ArrayLike<number> | null;
  /** [out_ch, in_ch, kh, kw] of `filters` */
  filter_shape?: ArrayLike<number> | null;
  filters?: ArrayLike<number> | null;
  [k: string]: unknown;
}

export interface FeatureMapsLike {
  example?: number | null;
  label?: number | null;
  input?: { shape: ArrayLike<number>; values: ArrayLike<number> } | null;
  layers?: MapLayerLike[] | null;
  [k: string]: unknown;
}

export interface FrameLike {
  v?: number;
  run?: string;
  seq?: number;
  step?: number;
  epoch?: number;
  loss?: number | null;
  val_loss?: number | null;
  accuracy?: number | null;
  val_accuracy?: number | null;
  layers?: LayerLike[] | null;
  /** the engine's plain-language diagnosis of these layers, errors first */
  diagnostics?: Diagnostic[] | null;
  boundary?: BoundaryLike | null;
  feature_maps?: FeatureMapsLike | null;
  [k: string]: unknown;
}

export function activationName(act: ActivationLike): string {
  if (!act) return "linear";
  if (typeof act === "string") return act.toLowerCase();
  return String(act.kind ?? "linear").toLowerCase();
}

export function finite(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
