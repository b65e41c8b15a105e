/**
 * Frame → histogram-grid model for the layer-internals view: which rows, which columns, what each panel
 * says in its corner, and the saturation zones behind z. Pure, so the rules are unit-tested.
 */
import type { HistCell, HistGridModel, HistRow } from "../../charts/histogramGrid";
import { QUANTITY_COLOUR } from "../../charts/palette";
import {
  activationName,
  finite,
  QUANTITY_LABEL,
  type FrameLike,
  type LayerLike,
  type QuantityKey,
  type QuantityLike,
} from "../logic/frame";
import { pickHist, type AxisMode, type ScaleMode } from "../../charts/histAxis";
import { layerZones } from "../logic/saturation";
import { fmtNum, fmtPct } from "../../charts/format";
import { fracDead, fracSaturated, RULES, weightedLayers } from "../logic/warnings";
import { liveNodes, type NodeLike } from "../nodes/model";

export const DEFAULT_ROWS: readonly QuantityKey[] = ["W", "z", "a", "delta"];

export interface InternalsOptions {
  rows: readonly QuantityKey[];
  scale: ScaleMode;
  axis: AxisMode;
  /** show at most this many columns (the last ones are kept: the output layer always shows) */
  maxLayers?: number;
  /** batchnorm, dropout, add and activation nodes as columns of their own, between the layers */
  nodes?: boolean;
}

/** A column of the grid: a weighted layer, or a node without weights. */
export type InternalsColumn = { layer: LayerLike; node?: undefined } | { node: NodeLike; layer?: undefined };

/**
 * The layers in order with each node placed right after the column it reads (an add after its last
 * input, the branch), so a chain z → batch norm → φ reads left to right. A node reading the network's
 * input comes first.
 */
export function interleave(layers: readonly LayerLike[], nodes: readonly NodeLike[]): InternalsColumn[] {
  const cols: InternalsColumn[] = layers.map((layer) => ({ layer }));
  for (const node of nodes) {
    const inputs = node.inputs ?? [];
    const after = inputs.length ? inputs[inputs.length - 1] : undefined;
    const i = cols.findIndex((c) => (c.layer ?? c.node).id === after);
    cols.splice(i + 1, 0, { node });
  }
  return cols;
}

const NODE_KIND_LABEL: Record<string, string> = {
  batchnorm: "batch norm",
  dropout: "dropout",
  add: "add",
  activation: "φ",
};

/**
 * A node's quantity in a row of the grid: z = what enters (batch norm's x, φ's z), a = what leaves,
 * δ = its δ; a node has no W or ∂L/∂W.
 */
function nodeQuantity(node: NodeLike, k: QuantityKey): QuantityLike | null | undefined {
  if (k === "z") return node.x;
  if (k === "a") return node.y;
  if (k === "delta") return node.delta;
  return null;
}

function nodeSublabel(node: NodeLike): string {
  const kind = NODE_KIND_LABEL[node.kind] ?? node.kind;
  if (node.kind === "activation") return `${kind} ${activationName(node.activation)}`;
  if (node.kind === "batchnorm") return kind;
  if (node.kind === "dropout" && finite(node.mask?.keep_probability))
    return `${kind} ρ ${fmtNum(node.mask.keep_probability, 2)}`;
  if (node.kind === "add") return `${kind} ${(node.inputs ?? []).join("+")}`;
  return kind;
}

export function buildModel(frame: FrameLike | null | undefined, opts: InternalsOptions): HistGridModel {
  let columns = interleave(weightedLayers(frame), opts.nodes ? liveNodes(frame) : []);
  if (opts.maxLayers && columns.length > opts.maxLayers)
    columns = columns.slice(columns.length - opts.maxLayers);
  const layers = columns.map((c) => c.layer);
  const rows: HistRow[] = opts.rows.map((k) => ({
    key: k,
    label: QUANTITY_LABEL[k],
    colour: QUANTITY_COLOUR[k],
  }));
  const cols = columns.map(({ layer: l, node }) => {
    if (!l) return { id: node.id, label: node.id, sublabel: nodeSublabel(node) };
    const act = activationName(l.activation);
    const shape = finite(l.n_in) && finite(l.n_out) ? `${l.n_in}→${l.n_out}` : "";
    return {
      id: l.id,
      label: l.id,
      sublabel: [l.kind === "dense" ? "" : l.kind, act, shape].filter(Boolean).join(" · "),
    };
  });
  const cells: (HistCell | null)[][] = opts.rows.map((k) =>
    layers.map((l, col) => {
      const node = columns[col].node;
      if (node) return nodeCell(node, k, opts.scale);
      if (!l) return null;
      const q = l[k];
      if (!q) return null;
      const hist = pickHist(q, opts.scale);
      const s = q.stats;
      const cell: HistCell = { hist };
      if (s) {
        const spread = finite(s.std)
          ? `σ ${fmtNum(s.std, 2)}`
          : finite(s.rms)
            ? `rms ${fmtNum(s.rms, 2)}`
            : "";
        cell.stat = spread;
      }
      if (k === "z") {
        cell.zones = layerZones(l);
        const sat = fracSaturated(l);
        const dead = fracDead(l);
        const act = activationName(l.activation);
        if (dead !== null && (act === "relu" || act === "rectifier" || dead > 0)) {
          cell.note = `dead units ${fmtPct(dead)}`;
          cell.alert = dead > RULES.deadFrac;
        } else if (sat !== null && (act === "sigmoid" || act === "tanh" || sat > 0)) {
          cell.note = `saturated ${fmtPct(sat)}`;
          cell.alert = sat > RULES.saturatedFrac;
        }
      }
      if (k === "z" && finite(l.var_z_measured)) {
        const v = `var ${fmtNum(l.var_z_measured, 2)}`;
        cell.stat = cell.stat ? `${cell.stat} · ${v}` : v;
      }
      if (s && finite(s.frac_nonfinite) && s.frac_nonfinite > 0) {
        cell.note = `NaN/∞ ${fmtPct(s.frac_nonfinite)}`;
        cell.alert = true;
      }
      return cell;
    }),
  );
  return { rows, cols, cells, scale: opts.scale, axis: opts.axis };
}

/** A node's panel: its histogram with σ, φ's saturation zones behind z, and what is flagged. */
function nodeCell(node: NodeLike, k: QuantityKey, scale: ScaleMode): HistCell | null {
  const q = nodeQuantity(node, k);
  if (!q) return null;
  const cell: HistCell = { hist: pickHist(q, scale) };
  const s = q.stats;
  if (s && finite(s.std)) cell.stat = `σ ${fmtNum(s.std, 2)}`;
  if (node.kind === "activation" && k === "z") {
    cell.zones = layerZones({
      activation: node.activation,
      saturation_zone: node.saturation_zone,
    });
    const sat = s?.frac_saturated;
    const dead = s?.frac_dead;
    if (finite(dead)) {
      cell.note = `dead units ${fmtPct(dead)}`;
      cell.alert = dead > RULES.deadFrac;
    } else if (finite(sat)) {
      cell.note = `saturated ${fmtPct(sat)}`;
      cell.alert = sat > RULES.saturatedFrac;
    }
  }
  if (node.kind === "dropout" && k === "a" && finite(s?.frac_zero))
    cell.note = `zeros ${fmtPct(s.frac_zero)}`;
  if (s && finite(s.frac_nonfinite) && s.frac_nonfinite > 0) {
    cell.note = `NaN/∞ ${fmtPct(s.frac_nonfinite)}`;
    cell.alert = true;
  }
  return cell;
}
