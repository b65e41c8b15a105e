/**
 * Loss/accuracy histories of the last few runs, for overlaying them in one chart, each labelled by what
 * changed from the run before (e.g. "lr 0.2 → 0.1"). Each run's history is a fixed-size ring, so memory
 * stays bounded however long a run trains.
 */
import { SeriesRing } from "../../charts/ring";
import type { FrameLike } from "./frame";

/** Column order inside each run's SeriesRing. */
export const METRICS = ["loss", "val_loss", "accuracy", "val_accuracy"] as const;
export type MetricKey = (typeof METRICS)[number];

/** One row of GET /runs/{id}/metrics (only the fields charted here). */
export interface MetricRow {
  step: number;
  loss?: number | null;
  val_loss?: number | null;
  accuracy?: number | null;
  val_accuracy?: number | null;
}

export interface RunHistory {
  run: string;
  label: string;
  series: SeriesRing;
  /** step of the lowest validation loss so far (where early stopping would keep the weights) */
  bestStep: number | null;
  bestValLoss: number;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Flatten a JSON value to path → scalar (arrays of numbers are kept whole, compared by JSON text). */
export function flatten(
  value: unknown,
  prefix = "",
  out: Map<string, string> = new Map(),
): Map<string, string> {
  if (value === null || typeof value !== "object") {
    out.set(prefix, JSON.stringify(value ?? null));
  } else if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) out.set(prefix, JSON.stringify(value));
    else value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else {
    for (const [k, v] of Object.entries(value as Record<string, Json>)) {
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
  }
  return out;
}

const SHORT_NAMES: Record<string, string> = {
  "training.optimizer.lr": "lr",
  "training.optimizer.kind": "optimizer",
  "training.batch_size": "batch",
  "training.loss": "loss",
  "training.epochs": "epochs",
  "data.dataset": "data",
  "data.noise": "noise",
};

function shortName(path: string, spec: unknown): string {
  if (SHORT_NAMES[path]) return SHORT_NAMES[path];
  // network.nodes[2].activation → "h2 activation" using the node's id when there is one
  const m = /^network\.nodes\[(\d+)\]\.(.+)$/.exec(path);
  if (m) {
    const nodes = (spec as { network?: { nodes?: { id?: string }[] } })?.network?.nodes;
    const id = nodes?.[Number(m[1])]?.id ?? `node ${m[1]}`;
    return `${id} ${m[2]}`;
  }
  const parts = path.split(".");
  return parts.slice(-2).join(" ");
}

function showValue(json: string | undefined): string {
  if (json === undefined) return "∅";
  const v = JSON.parse(json) as Json;
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object")
    return Array.isArray(v) && v.length > 4 ? "[…]" : JSON.stringify(v);
  return String(v);
}

/**
 * What changed between two specs, as a short label: "lr 0.2 → 0.1", "h1 activation sigmoid → relu".
 * Nested objects are compared leaf by leaf. The same change on several layers is told once
 * ("6 layers init.scheme normal → xavier_normal"); parameters that merely appear or disappear alongside
 * another change of the same object (the old scheme's std, the new one's mode) are left out. At most `maxItems` items, then "+n more".
 */
export function specDiffLabel(prev: unknown, cur: unknown, maxItems = 2): string {
  if (!prev) return "first run";
  const a = flatten(prev);
  const b = flatten(cur);
  const changed: string[] = [];
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) {
    if (k === "seed" || a.get(k) === b.get(k)) continue;
    changed.push(k);
  }
  const seedChanged = a.get("seed") !== b.get("seed");
  if (changed.length === 0) {
    return seedChanged ? `seed ${showValue(a.get("seed"))} → ${showValue(b.get("seed"))}` : "same spec";
  }
  const parent = (k: string) => k.slice(0, Math.max(0, k.lastIndexOf(".")));
  // A parameter that appears or disappears next to a changed sibling (the new scheme's mode, the old
  // scheme's std) is a consequence of that change, not news.
  const both = (k: string) => a.has(k) && b.has(k);
  const changedParents = new Set(changed.filter(both).map(parent));
  const kept = changed.filter((k) => both(k) || !changedParents.has(parent(k)));
  // Group identical node-level changes: network.nodes[i].<prop> with the same old → new values.
  const groups = new Map<string, { ids: string[]; text: string }>();
  const nodes = (cur as { network?: { nodes?: { id?: string }[] } })?.network?.nodes;
  for (const k of kept) {
    const m = /^network\.nodes\[(\d+)\]\.(.+)$/.exec(k);
    const change = `${showValue(a.get(k))} → ${showValue(b.get(k))}`;
    if (m) {
      const gk = `${m[2]}|${change}`;
      const g = groups.get(gk) ?? { ids: [], text: `${m[2]} ${change}` };
      g.ids.push(nodes?.[Number(m[1])]?.id ?? `node ${m[1]}`);
      groups.set(gk, g);
    } else {
      groups.set(k, { ids: [], text: `${shortName(k, cur)} ${change}` });
    }
  }
  const items = [...groups.values()].map((g) =>
    g.ids.length === 0
      ? g.text
      : `${g.ids.length > 2 ? `${g.ids.length} layers` : g.ids.join(", ")} ${g.text}`,
  );
  const more = items.length - maxItems;
  return more > 0 ? `${items.slice(0, maxItems).join(", ")}, +${more} more` : items.join(", ");
}

/** Keeps the newest `maxRuns` runs; the oldest is evicted when a new one starts. */
export class RunHistories {
  private runs: RunHistory[] = [];
  private specs = new Map<string, unknown>();
  private lastSpec: unknown = null;
  version = 0;

  constructor(
    readonly maxRuns = 4,
    readonly capacity = 2000,
  ) {}

  list(): readonly RunHistory[] {
    return this.runs;
  }

  get(run: string): RunHistory | undefined {
    return this.runs.find((r) => r.run === run);
  }

  /** Register a run (idempotent); its label compares its spec with the previous run's. */
  ensure(run: string, spec?: unknown): RunHistory {
    let h = this.get(run);
    if (h) {
      if (spec !== undefined && !this.specs.has(run)) {
        h.label = specDiffLabel(this.lastSpec, spec);
        this.specs.set(run, spec);
        this.lastSpec = spec;
        this.version++;
      }
      return h;
    }
    const label = spec === undefined ? `run ${run}` : specDiffLabel(this.lastSpec, spec);
    if (spec !== undefined) {
      this.specs.set(run, spec);
      this.lastSpec = spec;
    }
    h = {
      run,
      label,
      series: new SeriesRing(this.capacity, METRICS.length),
      bestStep: null,
      bestValLoss: Infinity,
    };
    this.runs.push(h);
    while (this.runs.length > this.maxRuns) {
      const old = this.runs.shift();
      if (old) this.specs.delete(old.run);
    }
    this.version++;
    return h;
  }

  /** Record the scalars of a frame. Returns true when a new row was appended. */
  record(frame: FrameLike): boolean {
    if (!frame.run || typeof frame.step !== "number") return false;
    const h = this.ensure(frame.run);
    const row = [frame.loss, frame.val_loss, frame.accuracy, frame.val_accuracy];
    const added = h.series.push(frame.step, row as (number | null | undefined)[]);
    const vl = frame.val_loss;
    if (added && typeof vl === "number" && Number.isFinite(vl) && vl < h.bestValLoss) {
      h.bestValLoss = vl;
      h.bestStep = frame.step;
    }
    if (added) this.version++;
    return added;
  }

  /**
   * Merge rows from another source into a run's history — GET /runs/{id}/metrics holds the steps
   * trained before this viewer subscribed, and every step, where frames arrive at a capped rate.
   * The union by step is kept (the newer value wins) and the best validation step recomputed.
   * Returns whether anything was added.
   */
  merge(run: string, rows: readonly MetricRow[]): boolean {
    const h = this.get(run);
    if (!h || rows.length === 0) return false;
    const byStep = new Map<number, number[]>();
    const cols = h.series.columns();
    for (let i = 0; i < cols[0].length; i++) {
      byStep.set(
        cols[0][i] as number,
        cols.slice(1).map((c) => c[i] ?? Number.NaN),
      );
    }
    const before = byStep.size;
    for (const r of rows) {
      if (typeof r.step !== "number" || !Number.isFinite(r.step)) continue;
      byStep.set(
        r.step,
        METRICS.map((k) => (typeof r[k] === "number" ? (r[k] as number) : Number.NaN)),
      );
    }
    if (byStep.size === before) return false;
    const steps = [...byStep.keys()].sort((a, b) => a - b).slice(-h.series.capacity);
    h.series.clear();
    h.bestStep = null;
    h.bestValLoss = Infinity;
    for (const step of steps) {
      const row = byStep.get(step) as number[];
      h.series.push(step, row);
      const vl = row[1];
      if (Number.isFinite(vl) && vl < h.bestValLoss) {
        h.bestValLoss = vl;
        h.bestStep = step;
      }
    }
    this.version++;
    return true;
  }

  clear(): void {
    this.runs = [];
    this.specs.clear();
    this.lastSpec = null;
    this.version++;
  }
}
