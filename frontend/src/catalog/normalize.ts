/**
 * Turn the server's GET /catalog answer into the registry the forms read. The server is the source
 * of truth; where it omits a list or a field, the built-in entry is kept. Pure and defensive.
 */
import { BUILTIN_CATALOG } from "./builtin";
import { CATEGORY_TITLE } from "./categories";
import type { AppCatalog, DatasetSpec, LayerCategory, LayerKindSpec, OptionSpec, ParamSpec } from "./types";

type Json = Record<string, unknown>;

function isObj(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function str(x: unknown, fallback = ""): string {
  return typeof x === "string" ? x : fallback;
}

/** Entries of a list of objects, or of an object keyed by name ({relu: {...}}). */
function entries(x: unknown, key: string): Json[] {
  if (Array.isArray(x))
    return x.map((e) => (typeof e === "string" ? { [key]: e } : isObj(e) ? e : null)).filter(isObj);
  if (isObj(x)) return Object.entries(x).map(([k, v]) => ({ [key]: k, ...(isObj(v) ? v : {}) }));
  return [];
}

const PARAM_TYPES = new Set([
  "int",
  "float",
  "bool",
  "select",
  "multiselect",
  "text",
  "matrix",
  "column",
  "pair",
  "shape",
]);

/** Field names a weighted layer edits with its own controls (activation plot, initialiser, matrix). */
export const SPECIAL_LAYER_FIELDS = new Set([
  "label",
  "activation",
  "init",
  "bias_init",
  "weights",
  "bias",
  "gamma",
  "beta",
]);

/** The parameter type of a JSON-Schema-like description ({type}, {anyOf: [...]}, {enum}). */
function schemaType(raw: Json): {
  type: string;
  options: (string | number)[] | null;
  nullable: boolean;
  min: number | null;
  max: number | null;
} {
  const branches = Array.isArray(raw.anyOf) ? (raw.anyOf.filter(isObj) as Json[]) : [raw];
  const nonNull = branches.filter((b) => b.type !== "null");
  const nullable = nonNull.length < branches.length || raw.nullable === true;
  const types = nonNull.map((b) => str(b.type));
  const first = nonNull[0] ?? raw;
  const bound = (k: "minimum" | "maximum") => {
    const v =
      first[k] ??
      raw[k] ??
      (k === "minimum"
        ? (first.exclusiveMinimum ?? raw.exclusiveMinimum)
        : (first.exclusiveMaximum ?? raw.exclusiveMaximum));
    return typeof v === "number" ? v : null;
  };
  const enumOf = (first.enum ?? raw.enum ?? raw.options) as (string | number)[] | undefined;
  let type = str(raw.type) || types[0] || "number";
  if (
    types.includes("integer") &&
    nonNull.some((b) => b.type === "array" && b.minItems === 2 && b.maxItems === 2)
  )
    type = "pair";
  else if (type === "array" && !str(raw.type)) type = "array";
  return {
    type,
    options: Array.isArray(enumOf) ? enumOf : null,
    nullable,
    min: bound("minimum"),
    max: bound("maximum"),
  };
}

export function normalizeParam(raw: unknown, name?: string): ParamSpec | null {
  if (!isObj(raw)) return null;
  const n = str(raw.name, name ?? "");
  if (!n) return null;
  const schema = schemaType(raw);
  let type = schema.type;
  if (type === "integer") type = "int";
  if (type === "number") type = "float";
  if (type === "boolean") type = "bool";
  if (type === "string") type = schema.options ? "select" : "text";
  if (type === "array") type = n === "shape" ? "shape" : n === "features" ? "multiselect" : "matrix";
  if (!PARAM_TYPES.has(type)) type = "text";
  return {
    name: n,
    type: type as ParamSpec["type"],
    default: raw.default,
    min: typeof raw.min === "number" ? raw.min : schema.min,
    max: typeof raw.max === "number" ? raw.max : schema.max,
    step: typeof raw.step === "number" ? raw.step : null,
    options: schema.options,
    nullable: raw.nullable === true || schema.nullable,
    required: raw.required === true,
    description: str(raw.description),
    log: raw.log === true || raw.scale === "log",
  };
}

function params(raw: unknown): ParamSpec[] {
  if (Array.isArray(raw)) return raw.map((p) => normalizeParam(p)).filter((p): p is ParamSpec => p !== null);
  if (isObj(raw))
    return Object.entries(raw)
      .map(([k, v]) => normalizeParam(v, k))
      .filter((p): p is ParamSpec => p !== null);
  return [];
}

function mergeOptions(server: unknown, builtin: readonly OptionSpec[], key = "name"): readonly OptionSpec[] {
  const list = entries(server, key);
  if (list.length === 0) return builtin;
  return list.map((e) => {
    const name = str(e.kind ?? e.scheme ?? e[key] ?? e.name ?? e.id);
    const base = builtin.find((b) => b.name === name);
    const p = params(e.params ?? e.parameters);
    return {
      name,
      title: str(e.title, base?.title ?? name.replace(/_/g, " ")),
      description: str(e.description, base?.description ?? ""),
      // The server lists parameters per option only where they differ; otherwise keep the built-in set.
      params: p.length ? p : (base?.params ?? []),
    };
  });
}

function isCategory(x: unknown): x is LayerCategory {
  return typeof x === "string" && x in CATEGORY_TITLE;
}

function mergeLayers(server: unknown): readonly LayerKindSpec[] {
  const list = entries(server, "kind");
  if (list.length === 0) return BUILTIN_CATALOG.layers;
  return list.map((e) => {
    const kind = str(e.kind ?? e.name ?? e.id);
    const base = BUILTIN_CATALOG.layers.find((b) => b.kind === kind);
    const p = params(e.params ?? e.parameters);
    const category = isCategory(e.category) ? e.category : (base?.category ?? "shape");
    return {
      kind,
      title: str(e.title, base?.title ?? kind),
      category,
      description: str(e.description, base?.description ?? ""),
      params: p.length === 0 && base ? base.params : p.filter((q) => !SPECIAL_LAYER_FIELDS.has(q.name)),
      weighted: typeof e.weighted === "boolean" ? e.weighted : (base?.weighted ?? false),
    };
  });
}

function datasets(server: unknown): DatasetSpec[] {
  return entries(server, "name").map((e) => ({
    name: str(e.name),
    title: str(e.title, str(e.name)),
    group: str(e.group, "other"),
    task: str(e.task),
    description: str(e.description),
    params: params(e.params),
  }));
}

export function normalizeCatalog(raw: unknown): AppCatalog {
  if (!isObj(raw)) return BUILTIN_CATALOG;
  return {
    layers: mergeLayers(raw.layers),
    activations: mergeOptions(raw.activations, BUILTIN_CATALOG.activations),
    initializers: mergeOptions(raw.initializers ?? raw.initialisers, BUILTIN_CATALOG.initializers),
    optimizers: mergeOptions(raw.optimizers ?? raw.optimisers, BUILTIN_CATALOG.optimizers),
    schedules: mergeOptions(raw.schedules, BUILTIN_CATALOG.schedules),
    losses: mergeOptions(raw.losses, BUILTIN_CATALOG.losses),
    datasets: datasets(raw.datasets),
  };
}

export function layerKind(catalog: AppCatalog, kind: string): LayerKindSpec | undefined {
  return catalog.layers.find((l) => l.kind === kind);
}
