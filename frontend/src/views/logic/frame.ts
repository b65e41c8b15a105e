/**
 * The telemetry frame as the live views read it: the decoded wire type (telemetry/frame.ts, generated
 * from shared_schemas/snapshot.py) with every part possibly missing, so that a view draws what a frame
 * has (a layer without δ before the first backward pass, a channel nobody subscribed to, a test's
 * partial frame) and a full frame from the hub is always accepted.
 */
import type { ActivationSpec } from "../../generated";
import type { LiveFrame, LiveLayer, LiveQuantity } from "../../wire/frame";
import { QUANTITY_KEYS, type QuantityKey } from "../../wire/frame";

export type { QuantityKey } from "../../wire/frame";

/** The glossary shared by Python, the wire and the UI: z = pre-activation, a = activation, delta = ∂L/∂z. */
export const QUANTITIES = QUANTITY_KEYS;

/** UI labels for the glossary names (same identifiers, typeset). */
export const QUANTITY_LABEL: Record<QuantityKey, string> = {
  W: "W",
  b: "b",
  z: "z",
  a: "a",
  delta: "δ",
  grad_W: "∂L/∂W",
};

/**
 * `T` with every field optional at any depth. Packed numeric lists stay as they are, and a histogram is
 * whole or absent (bins without their range mean nothing).
 */
export type Partly<T> = T extends ArrayLike<number | null> | { counts: ArrayLike<number> }
  ? T
  : T extends readonly (infer E)[]
    ? Partly<E>[]
    : T extends object
      ? { [K in keyof T]?: Partly<T[K]> }
      : T;

/** `T` without the keys `K`; unlike `Omit`, it keeps the named fields of a type with an index signature. */
type Without<T, K extends string> = { [P in keyof T as P extends K ? never : P]: T[P] };

type Frame = LiveFrame;
type MapLayer = NonNullable<Frame["feature_maps"]>["layers"][number];

/** A layer is known by its id, whatever else it carries. */
export type LayerLike = Partly<LiveLayer> & Pick<LiveLayer, "id">;
export type QuantityLike = Partly<LiveQuantity>;
export type StatsLike = Partly<LiveQuantity["stats"]>;
export type { HistLike, LogHistLike } from "../../charts/histAxis";
export type BoundaryLike = Partly<NonNullable<Frame["boundary"]>>;
/** One conv or pooling layer of the `feature_maps` channel; `maps` is [channels, h, w] by `shape`. */
export type MapLayerLike = Partly<MapLayer> & Pick<MapLayer, "id" | "kind" | "shape" | "maps">;
export type FeatureMapsLike = Partly<Without<NonNullable<Frame["feature_maps"]>, "layers">> & {
  layers?: MapLayerLike[] | null;
};
export type FrameLike = Partly<Without<Frame, "layers" | "feature_maps" | "diagnostics">> & {
  layers?: LayerLike[] | null;
  /** the engine's plain-language diagnosis of these layers, errors first (each finding whole) */
  diagnostics?: Frame["diagnostics"] | null;
  feature_maps?: FeatureMapsLike | null;
};
/** A layer's activation: its name on the wire, or a spec's activation with its parameters. */
export type ActivationLike = LiveLayer["activation"] | ActivationSpec | null | undefined;

export function activationName(act: ActivationLike): string {
  if (!act) return "linear";
  if (typeof act === "string") return act.toLowerCase();
  return String(act.kind ?? "linear").toLowerCase();
}

export function finite(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
