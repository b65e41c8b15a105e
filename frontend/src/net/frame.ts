/**
 * The msgpack decoder of telemetry frames (DESIGN.md "Websocket"; shared_schemas/ws.py). Numeric lists
 * of PACK_MIN or more numbers arrive as msgpack extension types holding little-endian typed arrays.
 */
import { decode, ExtensionCodec } from "@msgpack/msgpack";
import type { LiveFrame, LiveLayer, LiveNode, LiveRecurrent } from "../wire/frame";

export const EXT_UINT32 = 1;
export const EXT_FLOAT32 = 2;
export const EXT_INT32 = 3;

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

/** A typed-array class: over a buffer's bytes, or a fresh array of n elements. */
interface PackedArrayClass<T> {
  new (buffer: ArrayBuffer): T;
  new (length: number): T;
}

function readTyped<T extends Uint32Array | Int32Array | Float32Array>(
  data: Uint8Array,
  Packed: PackedArrayClass<T>,
  get: (view: DataView, offset: number) => number,
): T {
  if (data.byteLength % 4 !== 0) throw new FrameError(`packed array of ${data.byteLength} bytes`);
  if (LITTLE) return new Packed(aligned(data));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Packed(data.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = get(view, i * 4);
  return out;
}

export class FrameError extends Error {
  override name = "FrameError";
}

export const extensionCodec = new ExtensionCodec();

/** Decode extension `type` as a typed array of `Packed`, `get` reading one little-endian element. */
function registerPacked<T extends Uint32Array | Int32Array | Float32Array>(
  type: number,
  Packed: PackedArrayClass<T>,
  get: (view: DataView, offset: number) => number,
): void {
  extensionCodec.register({ type, encode: () => null, decode: (data) => readTyped(data, Packed, get) });
}

registerPacked(EXT_UINT32, Uint32Array, (v, o) => v.getUint32(o, true));
registerPacked(EXT_FLOAT32, Float32Array, (v, o) => v.getFloat32(o, true));
registerPacked(EXT_INT32, Int32Array, (v, o) => v.getInt32(o, true));

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

function num(x: unknown): number | null {
  return typeof x === "number" ? x : null;
}

/**
 * Checks the frame's frame-level fields so that views can rely on them; the per-layer content is
 * passed through as decoded (the server writes every field of the snapshot).
 */
export function asTelemetryFrame(raw: unknown): LiveFrame {
  if (!isRecord(raw)) throw new FrameError("telemetry frame is not a map");
  if (raw.type !== undefined && raw.type !== "tel")
    throw new FrameError(`not a tel frame: ${String(raw.type)}`);
  if (typeof raw.v !== "number" || raw.v !== 1)
    throw new FrameError(`unsupported frame version ${String(raw.v)}`);
  if (typeof raw.seq !== "number" || typeof raw.step !== "number")
    throw new FrameError("frame without seq/step");
  const layers = Array.isArray(raw.layers) ? raw.layers.filter(isRecord) : [];
  const channel = <T>(x: unknown): T | null => (isRecord(x) ? (x as T) : null);
  return {
    ...raw,
    v: raw.v,
    run: typeof raw.run === "string" ? raw.run : null,
    seq: raw.seq,
    step: raw.step,
    epoch: num(raw.epoch) ?? 0,
    status: typeof raw.status === "string" ? raw.status : "",
    path: typeof raw.path === "string" ? raw.path : "",
    device: typeof raw.device === "string" ? raw.device : null,
    frame_note: typeof raw.frame_note === "string" ? raw.frame_note : null,
    // NaN reads as "not reported" in the histories.
    lr: num(raw.lr) ?? Number.NaN,
    loss: num(raw.loss),
    val_loss: num(raw.val_loss),
    accuracy: num(raw.accuracy),
    val_accuracy: num(raw.val_accuracy),
    batch_loss: num(raw.batch_loss),
    layers: layers as unknown as LiveLayer[],
    diagnostics: (Array.isArray(raw.diagnostics)
      ? raw.diagnostics.filter(isRecord)
      : []) as unknown as LiveFrame["diagnostics"],
    boundary: channel<LiveFrame["boundary"]>(raw.boundary),
    feature_maps: channel<LiveFrame["feature_maps"]>(raw.feature_maps),
    predictions: channel<LiveFrame["predictions"]>(raw.predictions),
    // Null when the network has no rnn, lstm or gru layer; each layer's content passes as decoded.
    recurrent: Array.isArray(raw.recurrent)
      ? (raw.recurrent.filter(isRecord) as unknown as LiveRecurrent[])
      : null,
    // Null unless the run splits its batches across workers (training.parallel).
    parallel: channel<LiveFrame["parallel"]>(raw.parallel),
    // Null when the network has no batchnorm, dropout, add or activation node.
    nodes: Array.isArray(raw.nodes) ? (raw.nodes.filter(isRecord) as unknown as LiveNode[]) : null,
  };
}

/** Decode one binary websocket message into a telemetry frame. Throws FrameError when malformed. */
export function decodeFrame(bytes: ArrayBuffer | Uint8Array): LiveFrame {
  let raw: unknown;
  try {
    raw = decode(bytes, { extensionCodec });
  } catch (error) {
    throw new FrameError(`undecodable telemetry frame: ${(error as Error).message}`);
  }
  return asTelemetryFrame(raw);
}
