/**
 * The one URL format for a whole setup: encode(state) → string, decode(string) → result | error.
 * Pure (no location, no I/O; async only because the browser's CompressionStream is). The string is
 * "<codec version>." + base64url(bytes) where the bytes are the UTF-8 JSON of {v, spec, pos?}:
 * deflate-raw compressed in version 2, plain in version 1 (older links, still read). Decoding checks
 * the version and the RunSpec's structure (the server still validates everything else and its
 * problems appear on the nodes).
 */
import type { Place } from "../textbook/logic/steps";
import type { TextbookSource } from "../textbook/store";
import { NODE_KINDS, type NodeKind, type RunSpec } from "../spec/types";

export const CODEC_VERSION = 2;
/** Uncompressed links, written before version 2; decoded, never written. */
const PLAIN_VERSION = 1;

export interface SharedState {
  spec: RunSpec;
  /** Node positions on the canvas, rounded; optional (absent → auto-layout). */
  positions?: Record<string, { x: number; y: number }> | null;
}

export type DecodeResult = { ok: true; value: SharedState } | { ok: false; error: string };

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  // A damaged input rejects these too; the reader below reports it, so they must not go unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const chunks: Uint8Array[] = [];
  const reader = transform.readable.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value as Uint8Array);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function encode(state: SharedState): Promise<string> {
  const payload: Record<string, unknown> = { v: CODEC_VERSION, spec: state.spec };
  if (state.positions && Object.keys(state.positions).length > 0) {
    payload.pos = Object.fromEntries(
      Object.entries(state.positions).map(([id, p]) => [id, [Math.round(p.x), Math.round(p.y)]]),
    );
  }
  const json = new TextEncoder().encode(JSON.stringify(payload));
  return `${CODEC_VERSION}.${toBase64Url(await pipe(json, new CompressionStream("deflate-raw")))}`;
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
const ID = /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/;

/** Structural check of a RunSpec; returns the first problem in plain language, or null. */
export function checkSpec(spec: unknown): string | null {
  if (!isObj(spec)) return "the setup is not an object";
  if (spec.version !== 1) return `unsupported spec version ${String(spec.version)}`;
  const network = spec.network;
  if (!isObj(network) || !Array.isArray(network.nodes)) return "the setup has no network nodes";
  const ids = new Set<string>();
  for (const [i, node] of network.nodes.entries()) {
    if (!isObj(node)) return `node ${i} is not an object`;
    if (typeof node.id !== "string" || !ID.test(node.id)) return `node ${i} has an invalid id`;
    if (!NODE_KINDS.includes(node.kind as NodeKind))
      return `node '${node.id}' has an unknown kind ${String(node.kind)}`;
    ids.add(node.id);
  }
  if (network.edges !== undefined && network.edges !== null) {
    if (!Array.isArray(network.edges)) return "edges must be a list";
    for (const [j, edge] of network.edges.entries()) {
      if (
        !Array.isArray(edge) ||
        edge.length !== 2 ||
        !edge.every((e) => typeof e === "string" && ids.has(e))
      )
        return `edge ${j} does not connect two known nodes`;
    }
  }
  for (const key of ["data", "training"] as const) {
    if (spec[key] !== undefined && !isObj(spec[key])) return `${key} must be an object`;
  }
  if (spec.seed !== undefined && !(Number.isInteger(spec.seed) && (spec.seed as number) >= 0))
    return "seed must be a whole number ≥ 0";
  if (spec.dtype !== undefined && spec.dtype !== "float32" && spec.dtype !== "float64")
    return "dtype must be float32 or float64";
  if (spec.device !== undefined && !["auto", "cpu", "cuda"].includes(spec.device as string))
    return "device must be auto, cpu or cuda";
  return null;
}

export async function decode(text: string): Promise<DecodeResult> {
  const dot = text.indexOf(".");
  if (dot < 1) return { ok: false, error: "This link does not contain a Glassnet setup." };
  const version = Number(text.slice(0, dot));
  if (version !== CODEC_VERSION && version !== PLAIN_VERSION)
    return {
      ok: false,
      error: `This link was made by another Glassnet version (format ${text.slice(0, dot)}).`,
    };
  let payload: unknown;
  try {
    let bytes = fromBase64Url(text.slice(dot + 1));
    if (version === CODEC_VERSION) bytes = await pipe(bytes, new DecompressionStream("deflate-raw"));
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, error: "This link is damaged (it may have been cut off when copied)." };
  }
  if (!isObj(payload) || payload.v !== version)
    return { ok: false, error: "This link's setup has an unknown format." };
  const problem = checkSpec(payload.spec);
  if (problem) return { ok: false, error: `This link's setup is invalid: ${problem}.` };
  let positions: SharedState["positions"] = null;
  if (isObj(payload.pos)) {
    positions = {};
    for (const [id, p] of Object.entries(payload.pos)) {
      if (Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === "number" && Number.isFinite(c)))
        positions[id] = { x: p[0] as number, y: p[1] as number };
    }
  }
  return { ok: true, value: { spec: payload.spec as unknown as RunSpec, positions } };
}

/** Textbook mode in the URL: open on this worked example, at this place in the walk. */
export interface TextbookLink extends Place {
  source: TextbookSource;
}

/** What a query string holds: the setup (`s`), or a saved experiment's id (`e`), and textbook mode. */
export interface Query {
  s: string | null;
  e: string | null;
  textbook: TextbookLink | null;
}

/** `tb` names the worked example: a preset id, or this word for the network in the editor. */
const EDITOR = "editor";
const PRESET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function count(text: string | null): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n >= 0 ? n : 0;
}

/** Query-string helpers (still pure). Unknown or malformed textbook parameters are ignored. */
export function readQuery(search: string): Query {
  const q = new URLSearchParams(search);
  const tb = q.get("tb");
  const textbook: TextbookLink | null =
    tb === EDITOR || (tb !== null && PRESET_ID.test(tb))
      ? {
          source: tb === EDITOR ? { kind: "editor" } : { kind: "preset", id: tb },
          stage: count(q.get("tbs")),
          example: count(q.get("tbx")),
        }
      : null;
  return { s: q.get("s"), e: q.get("e"), textbook };
}

/** "" when there is nothing to say; the walk's place is left out while it is at the start. */
export function queryFor(query: Partial<Query>): string {
  const q = new URLSearchParams();
  if (query.s) q.set("s", query.s);
  else if (query.e) q.set("e", query.e);
  const tb = query.textbook;
  if (tb) {
    q.set("tb", tb.source.kind === "editor" ? EDITOR : tb.source.id);
    if (tb.stage > 0) q.set("tbs", String(tb.stage));
    if (tb.example > 0) q.set("tbx", String(tb.example));
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}
