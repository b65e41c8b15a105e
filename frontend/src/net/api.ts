/**
 * REST client for /api/v1. Every failure becomes an ApiError carrying the server's problem list
 * ({detail: [{pointer, message}]}) so panels can show each message where it applies.
 */
import type { MetricsRow } from "../telemetry/hub";
import type { DataSpec, Problem, RunSpec } from "../spec/types";
import type { RunPublic as RunPublicWire } from "../generated/api";

/** The run states, as the server's schema defines them. */
export type RunState = RunPublicWire["state"];
export type ActionKind = "start" | "pause" | "resume" | "step" | "epoch" | "stop" | "set_lr";

export interface RunPublic {
  id: string;
  name?: string | null;
  experiment_id?: string | null;
  state: RunState;
  step: number;
  epoch: number;
  latest_metrics?: MetricsRow | null;
  stop_reason?: string | null;
  diagnosis?: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
  spec?: RunSpec | null;
}

export interface RunCreated extends RunPublic {
  owner: string;
}

export interface NodeShape {
  id: string;
  kind: string;
  shape: number[];
  parameters: number;
}

export interface ValidateResponse {
  valid: true;
  nodes: NodeShape[];
  parameter_count: number;
}

export interface PresetSummary {
  id: string;
  title: string;
  description: string;
  teaches?: string | string[] | null;
  mode?: string | null;
  [extra: string]: unknown;
}

export interface Preset extends PresetSummary {
  spec: RunSpec;
}

export interface ExperimentPublic {
  id: string;
  name: string;
  spec: RunSpec;
  created_at: string;
  updated_at: string;
}

export interface UploadPublic {
  upload_id: string;
  name?: string | null;
  bytes: number;
  rows: number;
  columns: string[];
}

/** GET /datasets/preview: what a data spec gives, in a form the UI can draw. */
export interface DataPreview {
  dataset: string;
  title?: string;
  description?: string;
  task?: string;
  kind: "points" | "images" | "table";
  n_train?: number;
  n_val?: number;
  input_shape?: number[];
  feature_names?: string[];
  target_names?: string[];
  points?: { x: number[]; y: number[]; label: (number | string)[]; split: string[] };
  bounds?: { x: [number, number]; y: [number, number] };
  images?: {
    height: number;
    width: number;
    encoding: string;
    data: string[];
    labels: (number | string)[];
    split: string[];
  };
  table?: { columns: string[]; rows: number[][]; split: string[] };
}

/**
 * GET /runs/{id}/examples: the first examples of a run's split, unscaled, in split order — the inputs
 * behind a frame's `predictions.examples` (entry i is example `index` i). Images as base64-uint8 pixels
 * (see charts/greyImage.ts); other data as table rows, input columns then target columns.
 */
export interface RunExamples {
  split: "val" | "train";
  /** examples in the whole split */
  n: number;
  kind: "images" | "table";
  /** class index, or the first target value for regression */
  labels: number[];
  images?: { height: number; width: number; encoding: string; data: string[] };
  table?: { columns: string[]; rows: number[][] };
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly problems: Problem[],
    message?: string,
  ) {
    super(message ?? problems.map((p) => p.message).join(" ") ?? `request failed (${status})`);
  }

  /** True when the server could not be reached at all. */
  get offline(): boolean {
    return this.status === 0;
  }
}

function plainStatus(status: number): string {
  if (status === 404) return "The server does not know this item (it may have been deleted).";
  if (status === 409) return "The run is not in a state that allows this action.";
  if (status === 413) return "This is too large for the server to accept.";
  if (status === 429) return "The server is busy (too many runs or viewers). Try again in a moment.";
  if (status >= 500) return "The server hit an internal error. The details are in the server log.";
  return `The server refused the request (HTTP ${status}).`;
}

/** Normalise any error body (FastAPI's {detail: string | list}) into problems. */
export function problemsFrom(status: number, body: unknown): Problem[] {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const item = d as { pointer?: unknown; message?: unknown; msg?: unknown; loc?: unknown };
      const pointer =
        typeof item.pointer === "string"
          ? item.pointer
          : Array.isArray(item.loc)
            ? "/" + item.loc.filter((p) => p !== "body").join("/")
            : "";
      const message =
        typeof item.message === "string" ? item.message : typeof item.msg === "string" ? item.msg : String(d);
      return { pointer, message };
    });
  }
  if (typeof detail === "string") return [{ pointer: "", message: detail }];
  return [{ pointer: "", message: plainStatus(status) }];
}

export interface ApiClientOptions {
  base?: string;
  fetch?: typeof fetch;
}

export class ApiClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions = {}) {
    this.base = options.base ?? "/api/v1";
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let response: Response;
    const init: RequestInit = { method, headers: { Accept: "application/json", ...headers } };
    if (body instanceof Blob) {
      init.body = body;
      (init.headers as Record<string, string>)["Content-Type"] = body.type;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["Content-Type"] = "application/json";
    }
    try {
      response = await this.fetchImpl(this.base + path, init);
    } catch {
      throw new ApiError(0, [
        { pointer: "", message: "Cannot reach the Glassnet server. Is `glassnet serve` running?" },
      ]);
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) throw new ApiError(response.status, problemsFrom(response.status, parsed));
    return parsed as T;
  }

  health(): Promise<{ status: string; version: string }> {
    return this.request("GET", "/../../healthz");
  }

  catalog(): Promise<Record<string, unknown>> {
    return this.request("GET", "/catalog");
  }

  presets(): Promise<{ presets: PresetSummary[] }> {
    return this.request("GET", "/presets");
  }

  preset(id: string): Promise<Preset> {
    return this.request("GET", `/presets/${encodeURIComponent(id)}`);
  }

  validate(spec: RunSpec): Promise<ValidateResponse> {
    return this.request("POST", "/specs/validate", spec);
  }

  createRun(spec: RunSpec, start: boolean, experimentId?: string | null): Promise<RunCreated> {
    return this.request("POST", "/runs", {
      spec,
      start,
      ...(experimentId ? { experiment_id: experimentId } : {}),
    });
  }

  run(id: string): Promise<RunPublic> {
    return this.request("GET", `/runs/${encodeURIComponent(id)}`);
  }

  action(
    id: string,
    action: ActionKind,
    owner: string,
    extra: { steps?: number; lr?: number } = {},
  ): Promise<RunPublic> {
    return this.request(
      "POST",
      `/runs/${encodeURIComponent(id)}/actions`,
      { action, ...extra },
      { "X-Glassnet-Owner": owner },
    );
  }

  metrics(id: string): Promise<{ run_id: string; metrics: MetricsRow[] }> {
    return this.request("GET", `/runs/${encodeURIComponent(id)}/metrics`);
  }

  examples(id: string, split: "val" | "train", limit = 24): Promise<RunExamples> {
    return this.request(
      "GET",
      `/runs/${encodeURIComponent(id)}/examples?split=${split}&limit=${encodeURIComponent(String(limit))}`,
    );
  }

  experiments(): Promise<{ experiments: ExperimentPublic[]; count: number }> {
    return this.request("GET", "/experiments");
  }

  experiment(id: string): Promise<ExperimentPublic> {
    return this.request("GET", `/experiments/${encodeURIComponent(id)}`);
  }

  saveExperiment(name: string, spec: RunSpec): Promise<ExperimentPublic> {
    return this.request("POST", "/experiments", { name, spec });
  }

  deleteExperiment(id: string): Promise<void> {
    return this.request("DELETE", `/experiments/${encodeURIComponent(id)}`);
  }

  /** POST /datasets/preview takes any data spec (GET only covers built-in sets' basic parameters). */
  datasetPreview(data: DataSpec, seed: number): Promise<DataPreview> {
    return this.request("POST", `/datasets/preview?seed=${encodeURIComponent(String(seed))}`, data);
  }

  /** The CSV travels as the raw body (text/csv). */
  uploadCsv(text: string, name: string): Promise<UploadPublic> {
    return this.request(
      "POST",
      `/datasets?name=${encodeURIComponent(name.slice(0, 200))}`,
      new Blob([text], { type: "text/csv" }),
    );
  }
}

export const api = new ApiClient();
