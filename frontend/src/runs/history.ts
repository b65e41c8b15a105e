/**
 * The run history's wording, pure: which states a filter asks for, how a change between two runs
 * reads ("optimizer/lr 0.03 → 0.1"), a run's final metrics and when it ran, and the text filter.
 */
import type { RunDiff, RunPublic, RunState, SpecChange } from "../net/api";
import { FINISHED_RUN_STATES, LIVE_RUN_STATES, type FinishedRunState } from "./states";

/** Every run, the live ones, or the runs that ended in one way. */
export type StateFilter = "all" | "live" | FinishedRunState;

/** The states each filter choice asks the server for (none: every state), in the menu's order. */
export const STATE_FILTERS: Readonly<Record<StateFilter, readonly RunState[]>> = {
  all: [],
  live: LIVE_RUN_STATES,
  ...(Object.fromEntries(FINISHED_RUN_STATES.map((s) => [s, [s]])) as Record<FinishedRunState, RunState[]>),
};

/** "/training/optimizer/lr" → "optimizer/lr": the top-level part is dropped when more follows. */
export function changeLabel(pointer: string): string {
  const parts = pointer.split("/").slice(1);
  const shown = parts.length >= 3 ? parts.slice(1) : parts;
  return shown.map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join("/") || "spec";
}

/** A value of a change as text: numbers compact, absent as "—". */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function changeText(change: SpecChange): string {
  return `${changeLabel(change.pointer)} ${valueText(change.old)} → ${valueText(change.new)}`;
}

/** What changed from the owner's previous run, in one line. */
export function diffText(diff: RunDiff | null | undefined): string {
  if (!diff) return "first run";
  if (diff.changes.length === 0) return "same spec as the run before";
  const more = diff.omitted > 0 ? ` (+${diff.omitted} more)` : "";
  return diff.changes.map(changeText).join(", ") + more;
}

function compact(x: number): string {
  return Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3)
    ? x.toExponential(2)
    : String(Number(x.toPrecision(3)));
}

/** The run's latest (for an ended run, final) loss and accuracy: "loss 0.0123 · acc 97%". */
export function metricsText(run: Pick<RunPublic, "latest_metrics">): string {
  const m = run.latest_metrics;
  if (!m) return "no metrics yet";
  const parts: string[] = [];
  if (typeof m.loss === "number") parts.push(`loss ${compact(m.loss)}`);
  if (typeof m.accuracy === "number") parts.push(`acc ${Math.round(m.accuracy * 100)}%`);
  return parts.join(" · ") || "no metrics yet";
}

/** When a run was created, relative to `now`: "just now", "5 min ago", "3 h ago", else the date. */
export function whenText(createdAt: string, now: number = Date.now()): string {
  const at = Date.parse(createdAt);
  if (Number.isNaN(at)) return "";
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleDateString();
}

/** How long a run trained (created → ended), e.g. "42 s", "3 min"; "" while live. */
export function durationText(run: Pick<RunPublic, "created_at" | "ended_at">): string {
  if (!run.ended_at) return "";
  const seconds = (Date.parse(run.ended_at) - Date.parse(run.created_at)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/** The text filter: every word must appear in the run's id, name, state, summary or changes. */
export function matchesText(run: RunPublic, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [run.id, run.name ?? "", run.state, run.summary ?? "", diffText(run.diff)]
    .join(" ")
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

export const EXPORTS = [
  { format: "safetensors", label: "safetensors", title: "the trained weights (safetensors)" },
  { format: "py", label: "PyTorch", title: "PyTorch source (.py) that rebuilds the network" },
  { format: "onnx", label: "ONNX", title: "the trained model as ONNX" },
  { format: "csv", label: "CSV", title: "the loss/accuracy history as CSV" },
] as const;
