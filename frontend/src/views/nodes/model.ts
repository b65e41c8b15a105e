/**
 * Frame → what the nodes view shows of the nodes without weights (batch norm, dropout, residual adds,
 * activation nodes) and of DropConnect layers: masks as grids, batch norm's statistics per feature,
 * the branches meeting at an add with the δ it sends into each. Pure, so the rules are unit-tested.
 */
import type { HistCell, HistGridModel } from "../../charts/histogramGrid";
import { QUANTITY_COLOUR } from "../../charts/palette";
import { pickHist, type ScaleMode } from "../../charts/histAxis";
import { fmtNum, fmtPct } from "../../charts/format";
import type { LiveNode } from "../../wire/frame";
import { finite, type FrameLike, type LayerLike, type Partly, type QuantityLike } from "../logic/frame";

export type NodeLike = Partly<LiveNode> & Pick<LiveNode, "id" | "kind">;
export type MaskLike = Partly<NonNullable<LiveNode["mask"]>>;

/** The frame's batchnorm, dropout, add and activation nodes, in graph order. */
export function liveNodes(frame: FrameLike | null | undefined): NodeLike[] {
  const nodes = (frame as { nodes?: unknown } | null | undefined)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.filter((n): n is NodeLike => !!n && typeof n.id === "string" && typeof n.kind === "string");
}

/** Dense layers whose frame carries the step's DropConnect mask. */
export function dropConnectLayers(frame: FrameLike | null | undefined): LayerLike[] {
  return (frame?.layers ?? []).filter((l) => l && l.drop_connect && l.drop_connect.mask);
}

/** A mask decoded for drawing: rows × cols cells, true where the unit (or weight) was kept. */
export interface MaskGridModel {
  rows: number;
  cols: number;
  kept: boolean[];
  dropped: number;
}

export function maskGrid(mask: MaskLike | null | undefined): MaskGridModel | null {
  const shape = mask?.shape;
  const values = mask?.mask;
  if (!shape || shape.length !== 2 || !values) return null;
  const rows = shape[0];
  const cols = shape[1];
  if (!(rows > 0 && cols > 0) || values.length < rows * cols) return null;
  const kept: boolean[] = [];
  let dropped = 0;
  for (let i = 0; i < rows * cols; i++) {
    const k = values[i] !== 0;
    kept.push(k);
    if (!k) dropped += 1;
  }
  return { rows, cols, kept, dropped };
}

/** "kept 48 % this step · ρ = 0.5 (p = 0.5)": the measured share beside the keep probability. */
export function maskCaption(mask: MaskLike | null | undefined): string {
  if (!mask) return "no step has run yet";
  const rho = mask.keep_probability;
  const p = mask.drop_probability;
  const kept = finite(mask.kept_fraction) ? `kept ${fmtPct(mask.kept_fraction)} this step` : "";
  const prob = finite(rho) ? `ρ = ${fmtNum(rho, 3)}${finite(p) ? ` (p = ${fmtNum(p, 3)})` : ""}` : "";
  return [kept, prob].filter(Boolean).join(" · ");
}

/** What the grid's rows and columns are, with how much of the whole mask it shows. */
export function maskAxes(mask: MaskLike | null | undefined, kind: "dropout" | "dropconnect"): string {
  const full = mask?.full_shape;
  const shown = mask?.shape;
  if (!full || !shown || full.length !== 2 || shown.length !== 2) return "";
  const part = (n: number, of: number) => (n < of ? `first ${n} of ${of}` : `${of}`);
  return kind === "dropout"
    ? `rows: ${part(shown[0], full[0])} examples · columns: ${part(shown[1], full[1])} units`
    : `rows: ${part(shown[0], full[0])} units · columns: ${part(shown[1], full[1])} inputs`;
}

/** One row of batch norm's table: a feature (or channel) with its statistics and parameters. */
export interface BnRow {
  channel: number;
  batchMean: number | null;
  batchVar: number | null;
  runningMean: number | null;
  runningVar: number | null;
  gamma: number | null;
  beta: number | null;
}

function at(list: ArrayLike<number> | null | undefined, i: number): number | null {
  return list && i < list.length && finite(list[i]) ? list[i] : null;
}

/** Batch norm's first `max` features: μ_B and σ²_B of the batch beside the running ones, γ and β. */
export function bnRows(node: NodeLike, max = 6): BnRow[] {
  const bn = node.batchnorm;
  if (!bn) return [];
  const n = Math.min(max, bn.running_mean?.length ?? 0);
  const rows: BnRow[] = [];
  for (let c = 0; c < n; c++) {
    rows.push({
      channel: c,
      batchMean: at(bn.batch_mean, c),
      batchVar: at(bn.batch_var, c),
      runningMean: at(bn.running_mean, c),
      runningVar: at(bn.running_var, c),
      gamma: at(bn.gamma, c),
      beta: at(bn.beta, c),
    });
  }
  return rows;
}

/** The add's δ and the δ it sends into each branch, and whether stochastic depth kept the branch. */
export interface AddSplit {
  delta: number | null;
  branches: { id: string; deltaRms: number | null; equal: boolean }[];
  keptText: string | null;
}

export function addSplit(node: NodeLike): AddSplit {
  const delta = node.delta?.stats?.rms;
  const d = finite(delta) ? delta : null;
  const branches = (node.branches ?? []).map((b) => {
    const r = finite(b?.delta_rms) ? (b?.delta_rms ?? null) : null;
    const equal = d !== null && r !== null && Math.abs(r - d) <= 1e-9 * Math.max(Math.abs(d), 1e-300);
    return { id: String(b?.id ?? "?"), deltaRms: r, equal };
  });
  let keptText: string | null = null;
  if (finite(node.survival_probability)) {
    const p = `survival ${fmtNum(node.survival_probability, 3)}`;
    keptText =
      node.kept === true
        ? `residual branch kept this step (${p})`
        : node.kept === false
          ? `residual branch dropped this step: δ does not enter it (${p})`
          : `stochastic depth (${p})`;
  }
  return { delta: d, branches, keptText };
}

interface Column {
  label: string;
  sublabel?: string;
  q: QuantityLike | null | undefined;
  colour: string;
}

/** The values a node's card shows as histograms, left (entering) to right (leaving). */
export function nodeColumns(node: NodeLike): Column[] {
  const z = QUANTITY_COLOUR.z;
  const a = QUANTITY_COLOUR.a;
  switch (node.kind) {
    case "batchnorm":
      return [
        { label: "x before", sublabel: "what enters", q: node.x, colour: z },
        { label: "x̂", sublabel: "(x − μ_B)/√(σ²_B + ε)", q: node.x_hat, colour: "#56B4E9" },
        { label: "y after", sublabel: "γ·x̂ + β", q: node.y, colour: a },
      ];
    case "activation":
      return [
        { label: "z", sublabel: "enters φ", q: node.x, colour: z },
        { label: "a", sublabel: `${node.activation ?? "φ"}(z)`, q: node.y, colour: a },
      ];
    case "add":
      return [
        ...(node.branches ?? []).map((b, i) => ({
          label: String(b?.id ?? `in ${i + 1}`),
          sublabel: i === 0 ? "skip" : "branch",
          q: b?.value,
          colour: z,
        })),
        { label: "sum", sublabel: "leaves the add", q: node.y, colour: a },
      ];
    default:
      return [];
  }
}

/** One row of histograms for a node's card (empty for nodes without values: the lean paths' dropout). */
export function nodeHistModel(node: NodeLike, scale: ScaleMode): HistGridModel {
  const cols = nodeColumns(node).filter((c) => c.q);
  const cells: (HistCell | null)[][] = [
    cols.map((c) => {
      const q = c.q;
      if (!q) return null;
      const s = q.stats;
      const cell: HistCell = { hist: pickHist(q, scale) };
      if (s && finite(s.mean) && finite(s.std)) cell.stat = `μ ${fmtNum(s.mean, 2)} σ ${fmtNum(s.std, 2)}`;
      const sat = s?.frac_saturated;
      const dead = s?.frac_dead;
      if (finite(sat) && sat > 0) cell.note = `saturated ${fmtPct(sat)}`;
      else if (finite(dead) && dead > 0) cell.note = `dead ${fmtPct(dead)}`;
      return cell;
    }),
  ];
  return {
    rows: [{ key: "value", label: "values", colour: cols[0]?.colour ?? QUANTITY_COLOUR.z }],
    cols: cols.map((c) => ({ id: c.label, label: c.label, sublabel: c.sublabel })),
    cells,
    scale,
    axis: "per-layer",
  };
}

/** The card's title line: id and what the node is. */
export function nodeTitle(node: NodeLike): string {
  switch (node.kind) {
    case "batchnorm": {
      const ch = node.batchnorm?.channels;
      const what = finite(ch) && node.units === ch ? "features" : "channels";
      return `${node.id} · batch norm${finite(ch) ? ` over ${ch} ${what}` : ""}`;
    }
    case "dropout":
      return `${node.id} · dropout`;
    case "add":
      return `${node.id} · add (${(node.inputs ?? []).join(" + ")})`;
    case "activation":
      return `${node.id} · activation ${node.activation ?? ""}`.trim();
    default:
      return node.id;
  }
}
