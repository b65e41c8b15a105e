/**
 * Frame → what the recurrent views draw: δ through time per layer (RMS ∂L/∂h_t and each gate's δ_t
 * over t), the per-gate histogram grid (W, z, a, δ; c and h) and the layer × step grid of the unrolled
 * network. Pure, so the rules are unit-tested.
 */
import type { HistCell, HistGridModel, HistRow } from "../../charts/histogramGrid";
import { QUANTITY_COLOUR } from "../../charts/palette";
import type { LiveFrame, LiveGate, LiveQuantity, LiveRecurrent } from "../../wire/frame";
import type { AxisMode, ScaleMode } from "../../charts/histAxis";
import { pickHist } from "../../charts/histAxis";
import { fmtNum, fmtPct } from "../../charts/format";

/** Share of a sigmoid gate shut or open past which the gates view flags it. */
export const SATURATED_GATE = 0.5;

/** How the views write each gate (the lecture's symbols for the LSTM). */
export const GATE_LABEL: Record<string, string> = {
  hidden: "h",
  forget: "f",
  input: "i†",
  candidate: "i‡",
  output: "o†",
  reset: "r",
  update: "u",
};

export function gateLabel(gate: string): string {
  return GATE_LABEL[gate] ? `${gate} ${GATE_LABEL[gate]}` : gate;
}

/** The recurrent layers of a frame (none when the network has no rnn, lstm or gru). */
export function recurrentLayers(frame: LiveFrame | null | undefined): LiveRecurrent[] {
  return frame?.recurrent ?? [];
}

export interface TimeSeries {
  /** "h" or a gate name */
  key: string;
  label: string;
  values: (number | null)[];
}

export interface ThroughTime {
  id: string;
  kind: string;
  steps: number;
  /** [t = 1 … T] */
  t: number[];
  /** ∂L/∂h_t first, then the gates in the engine's order */
  series: TimeSeries[];
  diagnosis: LiveRecurrent["diagnosis"];
}

function values(curve: ArrayLike<number | null> | undefined): (number | null)[] {
  if (!curve) return [];
  return Array.from(curve, (v) => (typeof v === "number" && Number.isFinite(v) ? v : null));
}

/** Per layer, RMS ∂L/∂h_t and each gate's RMS δ_t against t (1-based), with the engine's diagnosis. */
export function throughTime(layer: LiveRecurrent): ThroughTime {
  const curves = layer.delta_through_time ?? {};
  const keys = ["h", ...layer.gate_names.filter((g) => g !== "h")];
  const series: TimeSeries[] = keys
    .filter((k) => curves[k] !== undefined)
    .map((k) => ({
      key: k,
      label: k === "h" ? "∂L/∂h_t" : `δ ${gateLabel(k)}`,
      values: values(curves[k]),
    }));
  const steps = Math.max(layer.steps, ...series.map((s) => s.values.length));
  return {
    id: layer.id,
    kind: layer.kind,
    steps,
    t: Array.from({ length: steps }, (_, i) => i + 1),
    series,
    diagnosis: layer.diagnosis,
  };
}

/** uPlot columns [t, series…] for one layer's δ-through-time chart. */
export function throughTimeColumns(tt: ThroughTime): (number | null)[][] {
  return [tt.t, ...tt.series.map((s) => tt.t.map((_, i) => s.values[i] ?? null))];
}

// ─── Gates: per-gate histograms ──────────────────────────────────────────────────────────────────

export type GateRowKey = "W" | "z" | "a" | "delta";

const GATE_ROWS: readonly { key: GateRowKey; label: string }[] = [
  { key: "W", label: "W" },
  { key: "z", label: "z" },
  { key: "a", label: "a" },
  { key: "delta", label: "δ" },
];

function quantityCell(q: LiveQuantity | null | undefined, scale: ScaleMode): HistCell | null {
  if (!q) return null;
  const cell: HistCell = { hist: pickHist(q, scale) };
  const s = q.stats;
  if (Number.isFinite(s.std)) cell.stat = `σ ${fmtNum(s.std, 2)}`;
  if (s.frac_nonfinite > 0) {
    cell.note = `NaN/∞ ${fmtPct(s.frac_nonfinite)}`;
    cell.alert = true;
  }
  return cell;
}

function gateCell(gate: LiveGate, key: GateRowKey, scale: ScaleMode): HistCell | null {
  const cell = quantityCell(key === "delta" ? gate.delta : gate[key], scale);
  if (cell && key === "a" && typeof gate.saturation === "number") {
    cell.note = `shut/open ${fmtPct(gate.saturation)}`;
    cell.alert = gate.saturation > SATURATED_GATE;
  }
  return cell;
}

/**
 * Columns: every gate of every recurrent layer, then the layer's c (lstm) and h. Rows: W, z, a, δ of
 * each gate; c and h fill the a row (they are values of the state, not of a gate).
 */
export function gatesModel(
  frame: LiveFrame | null | undefined,
  opts: { scale: ScaleMode; axis: AxisMode },
): HistGridModel {
  const rows: HistRow[] = GATE_ROWS.map((r) => ({
    key: r.key,
    label: r.label,
    colour: QUANTITY_COLOUR[r.key] ?? "#333",
  }));
  const cols: { id: string; label: string; sublabel?: string }[] = [];
  const columnCells: (HistCell | null)[][] = [];
  for (const layer of recurrentLayers(frame)) {
    for (const name of layer.gate_names) {
      const gate = layer.gates[name];
      if (!gate) continue;
      const sub = layer.kind === "rnn" ? `rnn · ${layer.activation}` : `${layer.kind} gate`;
      cols.push({ id: `${layer.id}.${name}`, label: `${layer.id} · ${gateLabel(name)}`, sublabel: sub });
      columnCells.push(GATE_ROWS.map((r) => gateCell(gate, r.key, opts.scale)));
    }
    const state: [string, LiveQuantity | null][] = [
      ["c", layer.c],
      ["h", layer.h],
    ];
    for (const [name, q] of state) {
      if (!q) continue;
      cols.push({
        id: `${layer.id}.${name}`,
        label: `${layer.id} · ${name}`,
        sublabel: name === "c" ? "cell state" : "hidden state",
      });
      columnCells.push(GATE_ROWS.map((r) => (r.key === "a" ? quantityCell(q, opts.scale) : null)));
    }
  }
  const cells = rows.map((_, r) => columnCells.map((col) => col[r] ?? null));
  return { rows, cols, cells, scale: opts.scale, axis: opts.axis };
}

/** The saturation of every sigmoid gate, for the table under the histograms. */
export interface GateSaturation {
  layer: string;
  gate: string;
  saturation: number;
}

export function gateSaturations(frame: LiveFrame | null | undefined): GateSaturation[] {
  const out: GateSaturation[] = [];
  for (const layer of recurrentLayers(frame)) {
    for (const name of layer.gate_names) {
      const s = layer.gates[name]?.saturation;
      if (typeof s === "number") out.push({ layer: layer.id, gate: name, saturation: s });
    }
  }
  return out;
}

// ─── Unrolled: layer × step ──────────────────────────────────────────────────────────────────────

export interface UnrolledRow {
  /** "m.h" or "m.forget" */
  key: string;
  layer: string;
  label: string;
  values: (number | null)[];
}

export interface UnrolledModel {
  steps: number;
  rows: UnrolledRow[];
  /** log10 range of the finite positive values, shared by every row */
  logRange: { lo: number; hi: number } | null;
  /** what the colour shows, for the legend */
  legend: string;
}

/** What the unrolled grid is coloured by: the error signal BPTT carries back, or the state h_t. */
export type UnrolledQuantity = "delta" | "h";

/**
 * One row per layer's ∂L/∂h_t, and with `gates` one per gate's δ_t, over the steps; or, for the
 * quantity "h", one row per layer's RMS h_t (the state it carries forward).
 */
export function unrolledModel(
  frame: LiveFrame | null | undefined,
  gates: boolean,
  quantity: UnrolledQuantity = "delta",
): UnrolledModel {
  const rows: UnrolledRow[] = [];
  let steps = 0;
  for (const layer of recurrentLayers(frame)) {
    if (quantity === "h") {
      const values = Array.from(layer.h_through_time ?? []);
      steps = Math.max(steps, values.length);
      rows.push({ key: `${layer.id}.state`, layer: layer.id, label: `${layer.id} RMS h`, values });
      continue;
    }
    const tt = throughTime(layer);
    steps = Math.max(steps, tt.steps);
    for (const s of tt.series) {
      if (s.key !== "h" && !gates) continue;
      rows.push({
        key: `${layer.id}.${s.key}`,
        layer: layer.id,
        label: s.key === "h" ? `${layer.id} ∂L/∂h` : `${layer.id} δ ${GATE_LABEL[s.key] ?? s.key}`,
        values: s.values,
      });
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows)
    for (const v of r.values)
      if (v !== null && v > 0) {
        lo = Math.min(lo, Math.log10(v));
        hi = Math.max(hi, Math.log10(v));
      }
  const logRange = lo <= hi ? { lo, hi: hi > lo ? hi : lo + 1 } : null;
  return {
    steps,
    rows,
    logRange,
    legend: quantity === "h" ? "RMS h_t (log colour scale)" : "RMS δ (log colour scale)",
  };
}
