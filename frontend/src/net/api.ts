/**
 * REST client for /api/v1. Every failure becomes an ApiError carrying the server's problem list
 * ({detail: [{pointer, message}]}) so panels can show each message where it applies.
 */
import type {
  Catalog,
  Comparison,
  DataPreview,
  ExperimentCreated,
  ExperimentList,
  ExperimentPublic,
  Health,
  MetricsPublic,
  Preset,
  PresetList,
  RunAction,
  RunCreated,
  RunExamples,
  RunList,
  RunPublic,
  SweepAxis,
  SweepCreated,
  SweepList,
  TelemetryFrame,
  UploadPublic,
  ValidateResponse,
} from "../generated";
import type { DataSpec, Problem, RunSpec } from "../spec/types";

export type {
  DataPreview,
  ExperimentPublic,
  NodeShape,
  PresetSummary,
  RunCreated,
  RunExamples,
  RunDiff,
  RunList,
  RunPublic,
  SpecChange,
  UploadPublic,
  ValidateResponse,
  Comparison,
  CompareLayer,
  CompareQuantity,
  CompareRun,
  SweepAxis,
  SweepCreated,
  SweepPoint,
  SweepList,
  SweepSummary,
} from "../generated";
export type RunState = RunPublic["state"];
/** GET /sweeps/{id}: a sweep as the create answer shows it, without the owner token. */
export type SweepPublic = Omit<SweepCreated, "owner">;
export type ActionKind = RunAction["action"];

/**
 * A stored spec as the app reads it. The server keeps specs as JSON objects (so that a 422 can point
 * into them) and returns only specs it validated as a RunSpec when they were saved.
 */
type WithRunSpec<T extends { spec: unknown }> = T & { spec: RunSpec };
export type LoadedPreset = WithRunSpec<Preset>;
export type SavedExperiment = WithRunSpec<ExperimentPublic>;
export type CreatedExperiment = WithRunSpec<ExperimentCreated>;
/** GET /runs/{id}: the run with the spec it was created from (validated then), when it has one. */
export type RunWithSpec = RunPublic & { spec: RunSpec | null };

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

  health(): Promise<Health> {
    return this.request("GET", "/../../healthz");
  }

  catalog(): Promise<Catalog> {
    return this.request("GET", "/catalog");
  }

  presets(): Promise<PresetList> {
    return this.request("GET", "/presets");
  }

  preset(id: string): Promise<LoadedPreset> {
    return this.request("GET", `/presets/${encodeURIComponent(id)}`);
  }

  validate(spec: RunSpec): Promise<ValidateResponse> {
    return this.request("POST", "/specs/validate", spec);
  }

  /** `owner`: the token to create the run under (the server makes one when absent). */
  createRun(
    spec: RunSpec,
    start: boolean,
    experimentId?: string | null,
    owner?: string | null,
  ): Promise<RunCreated> {
    return this.request("POST", "/runs", {
      spec,
      start,
      ...(experimentId ? { experiment_id: experimentId } : {}),
      ...(owner ? { owner } : {}),
    });
  }

  /**
   * One page of the server's run history, newest first (with `sweep`, that sweep's runs in grid
   * order); `owner` marks the caller's own (`mine`).
   */
  runs(
    query: {
      states?: readonly RunState[];
      room?: string;
      sweep?: string;
      limit?: number;
      offset?: number;
    } = {},
    owner?: string,
  ): Promise<RunList> {
    const params = new URLSearchParams();
    for (const state of query.states ?? []) params.append("state", state);
    if (query.room) params.set("room", query.room);
    if (query.sweep) params.set("sweep", query.sweep);
    params.set("limit", String(query.limit ?? 100));
    if (query.offset) params.set("offset", String(query.offset));
    const headers = owner ? { "X-Glassnet-Owner": owner } : undefined;
    return this.request("GET", `/runs?${params.toString()}`, undefined, headers);
  }

  /** Delete a run and its files (its owner only); a live run is ended first. */
  deleteRun(id: string, owner: string): Promise<void> {
    return this.request("DELETE", `/runs/${encodeURIComponent(id)}`, undefined, {
      "X-Glassnet-Owner": owner,
    });
  }

  /** The run's latest full telemetry frame, as JSON (the websocket frame's content). */
  snapshot(id: string): Promise<TelemetryFrame> {
    return this.request("GET", `/runs/${encodeURIComponent(id)}/snapshot`);
  }

  /** Where a browser downloads an export of a run (a plain link: the server names the file). */
  exportUrl(id: string, format: "safetensors" | "py" | "onnx" | "csv"): string {
    const run = encodeURIComponent(id);
    return format === "csv"
      ? `${this.base}/runs/${run}/metrics?format=csv`
      : `${this.base}/runs/${run}/export?format=${format}`;
  }

  run(id: string): Promise<RunWithSpec> {
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

  /** A grid of runs from `spec`: each axis sets one field (a JSON pointer) to each of its values. */
  createSweep(spec: RunSpec, axes: SweepAxis[], start = true): Promise<SweepCreated> {
    return this.request("POST", "/sweeps", { spec, axes, start });
  }

  sweep(id: string): Promise<SweepPublic> {
    return this.request("GET", `/sweeps/${encodeURIComponent(id)}`);
  }

  /** One page of this server's sweeps, newest first: axes, state, progress and best final loss. */
  sweeps(query: { limit?: number; offset?: number } = {}): Promise<SweepList> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 20) });
    if (query.offset) params.set("offset", String(query.offset));
    return this.request("GET", `/sweeps?${params.toString()}`);
  }

  stopSweep(id: string, owner: string): Promise<SweepPublic> {
    return this.request(
      "POST",
      `/sweeps/${encodeURIComponent(id)}/actions`,
      { action: "stop" },
      { "X-Glassnet-Owner": owner },
    );
  }

  /** 2–8 runs side by side at `step` (each run's nearest recorded step at or before it). */
  compare(runIds: readonly string[], step?: number | null): Promise<Comparison> {
    const q = new URLSearchParams({ runs: runIds.join(",") });
    if (step !== undefined && step !== null) q.set("step", String(step));
    return this.request("GET", `/compare?${q.toString()}`);
  }

  metrics(id: string): Promise<MetricsPublic> {
    return this.request("GET", `/runs/${encodeURIComponent(id)}/metrics`);
  }

  examples(id: string, split: "val" | "train", limit = 24): Promise<RunExamples> {
    return this.request(
      "GET",
      `/runs/${encodeURIComponent(id)}/examples?split=${split}&limit=${encodeURIComponent(String(limit))}`,
    );
  }

  /** One page of experiments; `owner` marks the caller's own (`mine`). */
  experiments(owner: string, limit = 100): Promise<ExperimentList & { experiments: SavedExperiment[] }> {
    return this.request("GET", `/experiments?limit=${encodeURIComponent(String(limit))}`, undefined, {
      "X-Glassnet-Owner": owner,
    });
  }

  experiment(id: string): Promise<SavedExperiment> {
    return this.request("GET", `/experiments/${encodeURIComponent(id)}`);
  }

  saveExperiment(name: string, spec: RunSpec, owner: string): Promise<CreatedExperiment> {
    return this.request("POST", "/experiments", { name, spec, owner });
  }

  renameExperiment(id: string, name: string, owner: string): Promise<ExperimentPublic> {
    return this.request(
      "PUT",
      `/experiments/${encodeURIComponent(id)}`,
      { name },
      { "X-Glassnet-Owner": owner },
    );
  }

  deleteExperiment(id: string, owner: string): Promise<void> {
    return this.request("DELETE", `/experiments/${encodeURIComponent(id)}`, undefined, {
      "X-Glassnet-Owner": owner,
    });
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
