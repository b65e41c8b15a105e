/**
 * Loads what textbook mode shows: the spec (a preset's or the editor's), its examples, the trace of one
 * iteration (POST /api/v1/trace) and the errata (GET /api/v1/errata).
 */
import { useEffect, useState } from "react";
import { ApiError, type ApiClient } from "../net/api";
import type { RunSpec } from "../spec/types";
import { parseErrata, type Erratum } from "./logic/errata";
import {
  inlineRows,
  masksForExample,
  rowsFromPreview,
  selectRows,
  traceRequest,
  type PresetTraceOptions,
  type Rows,
  type TraceResponse,
} from "./logic/trace";
import type { TextbookSource } from "./store";
import { continueFrom, steppingOptimizer, walkRows, type Walk } from "./logic/updateRule";
import { vectorWalk } from "./logic/lstmWalks";

export interface TraceData {
  status: "loading" | "ready" | "error";
  /** another update rule or example of the same source is being traced; the last trace stays shown */
  retracing: boolean;
  /** what was traced: the source (a preset or the editor) the rest belongs to */
  key: string;
  error: string | null;
  title: string;
  description: string;
  presetId: string | null;
  spec: RunSpec | null;
  /** the examples traced (one, for a stochastic update) */
  rows: Rows | null;
  /** every example the walk can pick from */
  allRows: Rows | null;
  trace: TraceResponse | null;
  errata: Erratum[];
}

const EMPTY: TraceData = {
  status: "loading",
  retracing: false,
  key: "",
  error: null,
  title: "",
  description: "",
  presetId: null,
  spec: null,
  rows: null,
  allRows: null,
  trace: null,
  errata: [],
};

function message(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : e instanceof Error ? e.message : fallback;
}

async function rowsFor(api: ApiClient, spec: RunSpec): Promise<Rows> {
  const inline = inlineRows(spec);
  if (inline) return inline;
  if (!spec.data) throw new Error("The spec has no data to trace.");
  const rows = rowsFromPreview(await api.datasetPreview(spec.data, spec.seed ?? 0));
  if (typeof rows === "string") throw new Error(rows);
  return rows;
}

/** The server's errata, fetched once per client (each app's client talks to its own server). */
const errataCache = new WeakMap<ApiClient, Promise<Erratum[]>>();

function loadErrata(api: ApiClient): Promise<Erratum[]> {
  let errata = errataCache.get(api);
  if (!errata) {
    errata = api.request<unknown>("GET", "/errata").then(parseErrata, () => {
      errataCache.delete(api);
      return [];
    });
    errataCache.set(api, errata);
  }
  return errata;
}

export function useTraceData(
  api: ApiClient,
  source: TextbookSource,
  editorSpec: () => RunSpec,
  editorTitle: string | null,
  reload: number,
  walk: Walk,
): TraceData {
  const [data, setData] = useState<TraceData>(EMPTY);
  const key = source.kind === "preset" ? `preset:${source.id}` : "editor";
  const { rule, example, step } = walk;

  useEffect(() => {
    let cancelled = false;
    // Another update rule or example on the same source keeps the spec and rows on screen (the
    // header's choices stay put) while the new step is traced.
    setData((d) => (d.key === key && d.status === "ready" ? { ...d, retracing: true } : { ...EMPTY, key }));
    void (async () => {
      let title = editorTitle ?? "Network in the editor";
      let description = "";
      let presetId: string | null = null;
      let spec: RunSpec;
      let options: PresetTraceOptions = {};
      // A worked example on given vectors has no network to trace.
      if (source.kind === "preset" && vectorWalk(source.id)) {
        const w = vectorWalk(source.id)!;
        const errata = await loadErrata(api);
        if (!cancelled)
          setData({ ...EMPTY, key, status: "ready", title: w.title, description: w.description, errata });
        return;
      }
      try {
        if (source.kind === "preset") {
          const preset = await api.preset(source.id);
          spec = preset.spec;
          title = preset.title || preset.id;
          description = preset.description ?? "";
          presetId = preset.id;
          if (preset.trace && typeof preset.trace === "object") options = preset.trace as PresetTraceOptions;
        } else {
          spec = editorSpec();
        }
      } catch (e) {
        if (!cancelled)
          setData({
            ...EMPTY,
            key,
            status: "error",
            error: message(e, "The preset could not be loaded."),
            title,
          });
        return;
      }
      const errata = await loadErrata(api);
      const base = { ...EMPTY, key, title, description, presetId, spec, errata };
      try {
        const allRows = selectRows(await rowsFor(api, spec), options.example_indices);
        const rows = walkRows(allRows, example);
        const optimizer = rule === "optimizer" ? steppingOptimizer(spec.training?.optimizer) : null;
        const walkOptions = { ...options, masks: masksForExample(spec, options.masks, example) };
        let request = traceRequest(spec, rows, walkOptions, optimizer);
        let trace = await api.request<TraceResponse>("POST", "/trace", request);
        // Step t of the optimiser: each trace starts from the weights and state the last one left.
        for (let done = 1; optimizer && done < step && !cancelled; done++) {
          request = continueFrom(request, trace, done);
          trace = await api.request<TraceResponse>("POST", "/trace", request);
        }
        if (!cancelled) setData({ ...base, status: "ready", rows, allRows, trace });
      } catch (e) {
        if (!cancelled) setData({ ...base, status: "error", error: message(e, "The trace failed.") });
      }
    })();
    return () => {
      cancelled = true;
    };
    // editorSpec is read once per load: the trace is a snapshot of the network when it was opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, reload, rule, example, step]);

  return data;
}
