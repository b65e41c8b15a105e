import type { CatalogLayer } from "../generated";

/** How the palette groups layer kinds: one spelling, from shared_schemas (runspec.LayerCategory). */
export type LayerCategory = CatalogLayer["category"];

/** A typed parameter: what the inspector, data and training forms render, and their bounds. */
export interface ParamSpec {
  name: string;
  type: "int" | "float" | "bool" | "select" | "multiselect" | "text" | "matrix" | "column" | "pair" | "shape";
  default?: unknown;
  min?: number | null;
  max?: number | null;
  step?: number | null;
  options?: readonly (string | number)[] | null;
  nullable?: boolean;
  required?: boolean;
  description?: string;
  /** log-scale slider (learning rates, penalties) */
  log?: boolean;
}

/** One layer kind: the palette entry and the inspector form (STYLE lesson 5: registry, not switch). */
export interface LayerKindSpec {
  kind: string;
  title: string;
  category: LayerCategory;
  description: string;
  params: readonly ParamSpec[];
  /** Owns z = Wx + b and a = φ(z): gets activation, initialiser, weights and bias editors. */
  weighted: boolean;
}

export interface OptionSpec {
  name: string;
  title: string;
  description?: string;
  params: readonly ParamSpec[];
}

export interface DatasetSpec {
  name: string;
  title: string;
  group: string;
  task: string;
  description: string;
  params: readonly ParamSpec[];
}

/** The catalog as the palette and forms use it: GET /catalog merged over the built-in entries. */
export interface AppCatalog {
  layers: readonly LayerKindSpec[];
  activations: readonly OptionSpec[];
  initializers: readonly OptionSpec[];
  optimizers: readonly OptionSpec[];
  schedules: readonly OptionSpec[];
  losses: readonly OptionSpec[];
  datasets: readonly DatasetSpec[];
}
