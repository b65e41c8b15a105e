/**
 * The telemetry frame (DESIGN.md "Websocket"; shared_schemas/ws.py) and its msgpack decoder.
 *
 * Names follow the one glossary: W, b, z (pre-activation), a (activation), delta (∂L/∂z), grad_W.
 * Numeric lists of PACK_MIN or more numbers arrive as msgpack extension types holding little-endian
 * typed arrays; shorter lists stay plain arrays, so readers accept `ArrayLike<number>`.
 */
import { decode, ExtensionCodec } from "@msgpack/msgpack";

export const EXT_UINT32 = 1;
export const EXT_FLOAT32 = 2;
export const EXT_INT32 = 3;

export const QUANTITY_KEYS = ["W", "b", "z", "a", "delta", "grad_W"] as const;
export type QuantityKey = (typeof QUANTITY_KEYS)[number];

export interface Stats {
  mean: number | null;
  std: number | null;
  rms: number | null;
  min: number | null;
  max: number | null;
  frac_zero?: number | null;
  frac_nonfinite?: number | null;
  /** sigmoid/tanh: share of |z| in the flat tails; ReLU family: see frac_dead */
  frac_saturated?: number | null;
  frac_dead?: number | null;
  [extra: string]: number | null | undefined;
}

/** Linear histogram over [lo, hi] with counts.length equal-width bins. */
export interface Histogram {
  lo: number;
  hi: number;
  counts: ArrayLike<number>;
}

/** Fixed-edge histogram of log10|x| over [lo, hi]; `zeros` counts exact zeros. */
export interface LogHistogram extends Histogram {
  zeros?: number;
}

export interface Quantity {
  stats?: Stats | null;
  hist?: Histogram | null;
  loghist?: LogHistogram | null;
}

export type ActivationValue = string | { kind: string; [param: string]: unknown };

export interface LayerFrame {
  id: string;
  kind: string;
  activation?: ActivationValue | null;
  n_in?: number | null;
  n_out?: number | null;
  W?: Quantity | null;
  b?: Quantity | null;
  z?: Quantity | null;
  a?: Quantity | null;
  delta?: Quantity | null;
  grad_W?: Quantity | null;
  update_ratio?: number | null;
  var_z_predicted?: number | null;
  var_z_measured?: number | null;
  [extra: string]: unknown;
}

export interface TelemetryFrame {
  type?: "tel";
  v: number;
  run: string;
  seq: number;
  step: number;
  epoch: number;
  loss: number | null;
  val_loss?: number | null;
  accuracy?: number | null;
  val_accuracy?: number | null;
  lr?: number | null;
  layers: LayerFrame[];
  // The boundary and feature-map channels are interpreted by the views (src/views/logic/frame.ts
  // types them from the engine's layout); the decoder passes them through untouched.
  /** 2-D inputs only: the decision-boundary grids (flat packed rows). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  boundary?: any;
  /** conv layers only: filters and feature maps keyed by layer id. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  feature_maps?: any;
  [extra: string]: unknown;
}

// The ext payload need not be 4-byte aligned inside the message, so the bytes are copied first.
function aligned(data: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy.buffer;
}

function littleEndianHost(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
}

const LITTLE = littleEndianHost();

function readTyped<T extends Uint32Array | Int32Array | Float32Array>(
  data: Uint8Array,
  make: (buf: ArrayBuffer) => T,
  get: (view: DataView, offset: number) => number,
  construct: (n: number) => T,
): T {
  if (data.byteLength % 4 !== 0) throw new FrameError(`packed array of ${data.byteLength} bytes`);
  if (LITTLE) return make(aligned(data));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = construct(data.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = get(view, i * 4);
  return out;
}

export class FrameError extends Error {
  override name = "FrameError";
}

export const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: EXT_UINT32,
  encode: () => null,
  decode: (data) =>
    readTyped(
      data,
      (b) => new Uint32Array(b),
      (v, o) => v.getUint32(o, true),
      (n) => new Uint32Array(n),
    ),
});
extensionCodec.register({
  type: EXT_FLOAT32,
  encode: () => null,
  decode: (data) =>
    readTyped(
      data,
      (b) => new Float32Array(b),
      (v, o) => v.getFloat32(o, true),
      (n) => new Float32Array(n),
    ),
});
extensionCodec.register({
  type: EXT_INT32,
  encode: () => null,
  decode: (data) =>
    readTyped(
      data,
      (b) => new Int32Array(b),
      (v, o) => v.getInt32(o, true),
      (n) => new Int32Array(n),
    ),
});

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

function num(x: unknown): number | null {
  return typeof x === "number" ? x : null;
}

/**
 * Checks the frame's frame-level fields so that views can rely on them; the per-layer content is
 * passed through as decoded (views treat every quantity as possibly missing).
 */
export function asTelemetryFrame(raw: unknown): TelemetryFrame {
  if (!isRecord(raw)) throw new FrameError("telemetry frame is not a map");
  if (raw.type !== undefined && raw.type !== "tel")
    throw new FrameError(`not a tel frame: ${String(raw.type)}`);
  if (typeof raw.v !== "number" || raw.v !== 1)
    throw new FrameError(`unsupported frame version ${String(raw.v)}`);
  if (typeof raw.seq !== "number" || typeof raw.step !== "number")
    throw new FrameError("frame without seq/step");
  const layers = Array.isArray(raw.layers) ? raw.layers.filter(isRecord) : [];
  return {
    ...raw,
    v: raw.v,
    run: typeof raw.run === "string" ? raw.run : String(raw.run ?? ""),
    seq: raw.seq,
    step: raw.step,
    epoch: num(raw.epoch) ?? 0,
    loss: num(raw.loss),
    val_loss: num(raw.val_loss),
    accuracy: num(raw.accuracy),
    val_accuracy: num(raw.val_accuracy),
    lr: num(raw.lr),
    layers: layers as unknown as LayerFrame[],
  };
}

/** Decode one binary websocket message into a telemetry frame. Throws FrameError when malformed. */
export function decodeFrame(bytes: ArrayBuffer | Uint8Array): TelemetryFrame {
  let raw: unknown;
  try {
    raw = decode(bytes, { extensionCodec });
  } catch (error) {
    throw new FrameError(`undecodable telemetry frame: ${(error as Error).message}`);
  }
  return asTelemetryFrame(raw);
}
