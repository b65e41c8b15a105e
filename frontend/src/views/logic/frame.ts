/**
 * The parts of a telemetry frame (DESIGN.md "Websocket", shared_schemas/snapshot.py) that the live views read.
 * Everything optional is treated as possibly missing: a frame may carry only some channels or layers.
 * The generated frame type is structurally assignable to `FrameLike`.
 */

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
  [k: string]: unknown;
}

export interface BoundaryLike {
  x_range?: ArrayLike<number> | null;
  y_range?: ArrayLike<number> | null;
  resolution?: number | null;
  /** output[row][col]; row 0 is the lowest y (see boundaryGrid.ts for the orientation rule). */
  output?: ArrayLike<ArrayLike<number>> | null;
  /** per hidden layer: [unit][row][col] */
  neurons?: Record<string, ArrayLike<ArrayLike<ArrayLike<number>>>> | null;
  [k: string]: unknown;
}

export interface FeatureMapsLike {
  /** conv filters [out_ch][in_ch][kh][kw] */
  filters?: ArrayLike<ArrayLike<ArrayLike<ArrayLike<number>>>> | null;
  /** feature maps of the chosen example [out_ch][h][w] */
  maps?: ArrayLike<ArrayLike<ArrayLike<number>>> | null;
  /** the chosen example (input image) [in_ch][h][w] */
  example?: ArrayLike<ArrayLike<ArrayLike<number>>> | null;
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
  boundary?: BoundaryLike | null;
  feature_maps?: Record<string, FeatureMapsLike> | null;
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
