/**
 * The telemetry frame as the browser holds it: the generated wire type (shared_schemas/snapshot.py)
 * with its numeric lists as they arrive. A flat list of PACK_MIN or more numbers travels as a msgpack
 * extension and is decoded into a typed array; shorter lists stay plain arrays, so a list of numbers
 * is read as `ArrayLike<number>`.
 *
 * Names follow the one glossary: W, b, z (pre-activation), a (activation), delta (∂L/∂z), grad_W.
 */
import type {
  GateFrame,
  LayerFrame,
  NodeFrame,
  Quantity,
  RecurrentFrame,
  TelemetryFrame,
} from "../generated";

/** `T` with every list of numbers (or of numbers and nulls) read as `ArrayLike`, at any depth. */
export type Packed<T> = T extends readonly (infer E)[]
  ? [E] extends [number | null]
    ? ArrayLike<E>
    : Packed<E>[]
  : T extends object
    ? { [K in keyof T]: Packed<T[K]> }
    : T;

export type LiveFrame = Packed<TelemetryFrame>;
export type LiveLayer = Packed<LayerFrame>;
export type LiveQuantity = Packed<Quantity>;
export type LiveRecurrent = Packed<RecurrentFrame>;
export type LiveGate = Packed<GateFrame>;
export type LiveNode = Packed<NodeFrame>;

/** The per-layer quantities of the glossary, in the order the views show them. */
export const QUANTITY_KEYS = [
  "W",
  "b",
  "z",
  "a",
  "delta",
  "grad_W",
] as const satisfies readonly (keyof LayerFrame)[];
export type QuantityKey = (typeof QUANTITY_KEYS)[number];
