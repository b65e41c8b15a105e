/**
 * Frame → histogram-grid model for the layer-internals view: which rows, which columns, what each panel
 * says in its corner, and the saturation zones behind z. Pure, so the rules are unit-tested.
 */
import type { HistCell, HistGridModel, HistRow } from "../../charts/histogramGrid";
import { QUANTITY_COLOUR } from "../../charts/palette";
import { activationName, finite, QUANTITY_LABEL, type FrameLike, type QuantityKey } from "../logic/frame";
import { pickHist, type AxisMode, type ScaleMode } from "../../charts/histAxis";
import { layerZones } from "../logic/saturation";
import { fmtNum, fmtPct } from "../../charts/format";
import { fracDead, fracSaturated, RULES, weightedLayers } from "../logic/warnings";

export const DEFAULT_ROWS: readonly QuantityKey[] = ["W", "z", "a", "delta"];

export interface InternalsOptions {
  rows: readonly QuantityKey[];
  scale: ScaleMode;
  axis: AxisMode;
  /** show at most this many layers (the last ones are kept: the output layer always shows) */
  maxLayers?: number;
}

export function buildModel(frame: FrameLike | null | undefined, opts: InternalsOptions): HistGridModel {
  let layers = weightedLayers(frame);
  if (opts.maxLayers && layers.length > opts.maxLayers) layers = layers.slice(layers.length - opts.maxLayers);
  const rows: HistRow[] = opts.rows.map((k) => ({
    key: k,
    label: QUANTITY_LABEL[k],
    colour: QUANTITY_COLOUR[k],
  }));
  const cols = layers.map((l) => {
    const act = activationName(l.activation);
    const shape = finite(l.n_in) && finite(l.n_out) ? `${l.n_in}→${l.n_out}` : "";
    return {
      id: l.id,
      label: l.id,
      sublabel: [l.kind === "dense" ? "" : l.kind, act, shape].filter(Boolean).join(" · "),
    };
  });
  const cells: (HistCell | null)[][] = opts.rows.map((k) =>
    layers.map((l) => {
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
