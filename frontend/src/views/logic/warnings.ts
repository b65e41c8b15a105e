/**
 * Plain-language diagnostics for the gradient-flow view, computed from one frame's per-layer summaries.
 * Each rule names the layer and the size of the problem, and suggests what a student can change.
 *
 * Thresholds (and why):
 * - δ vanishing: RMS(δ) of a layer < 1 % of the output layer's. Through k sigmoid layers δ shrinks by up to
 *   0.25ᵏ·|W|ᵏ; at 1 % the early layers learn ~100× slower than the output and the loss curve stalls.
 * - δ exploding: RMS(δ) of a layer > 10 × the output layer's (the σ = 0.2 init of the lecture gives ≈ 13×
 *   after 5 layers of 100 units, with var(δ) growing ×4 per layer).
 * - z vanishing/exploding forward: var(z) of the deepest hidden layer < 10⁻³ × or > 10³ × the first's.
 * - saturated units: more than half of a sigmoid/tanh layer's z in the saturation zone (f′ < 2 % of peak).
 * - dead ReLUs: more than half of a ReLU layer's units output 0 for every example of the batch
 *   (the engine's `frac_dead` counts units, not values).
 * - update/weight ratio: ‖ΔW‖/‖W‖ per step far from the ~10⁻³ rule of thumb: < 10⁻⁵ or > 10⁻¹.
 * - non-finite values anywhere in W, z, a, δ or ∂L/∂W.
 */
import { activationName, finite, type FrameLike, type LayerLike, QUANTITIES, QUANTITY_LABEL } from "./frame";
import { fmtNum, fmtPct, fmtRatio } from "../../charts/format";

export const RULES = {
  vanishRatio: 1e-2,
  explodeRatio: 10,
  zVanishRatio: 1e-3,
  zExplodeRatio: 1e3,
  saturatedFrac: 0.5,
  deadFrac: 0.5,
  updateRatioLow: 1e-5,
  updateRatioHigh: 1e-1,
} as const;

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  code:
    | "nonfinite"
    | "vanishing"
    | "exploding"
    | "z_vanishing"
    | "z_exploding"
    | "saturated"
    | "dead_relu"
    | "update_small"
    | "update_large";
  severity: Severity;
  layer: string;
  message: string;
  /** the measured number the rule fired on (ratio or fraction) */
  value: number;
}

/** RMS of δ for a layer, falling back to the RMS of ∂L/∂W when δ is not in the frame. */
export function deltaRms(layer: LayerLike): number | null {
  const d = layer.delta?.stats?.rms;
  if (finite(d)) return d;
  if (finite(layer.delta_rms)) return layer.delta_rms;
  const g = layer.grad_W?.stats?.rms;
  return finite(g) ? g : null;
}

/**
 * The frame's layers, input→output. By the frame contract these are the weighted layers (each owns
 * z = Wx + b, a = φ(z), δ = ∂L/∂z) in graph order; entries without an id are skipped.
 */
export function weightedLayers(frame: FrameLike | null | undefined): LayerLike[] {
  return (frame?.layers ?? []).filter((l) => l && typeof l.id === "string");
}

/** Fraction of a layer's z values that are saturated / dead, whichever the frame reports. */
export function fracSaturated(layer: LayerLike): number | null {
  for (const q of [layer.z, layer.a]) {
    const s = q?.stats?.frac_saturated;
    if (finite(s)) return s;
  }
  return null;
}

export function fracDead(layer: LayerLike): number | null {
  for (const q of [layer.z, layer.a]) {
    const s = q?.stats?.frac_dead;
    if (finite(s)) return s;
  }
  return null;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function diagnose(frame: FrameLike | null | undefined): Diagnostic[] {
  const layers = weightedLayers(frame);
  const out: Diagnostic[] = [];
  if (layers.length === 0) return out;

  // Non-finite values: the run has diverged. One line, naming the first layer and quantity hit.
  const broken: [LayerLike, string, number][] = [];
  for (const l of layers) {
    for (const q of QUANTITIES) {
      const f = l[q]?.stats?.frac_nonfinite;
      if (finite(f) && f > 0) {
        broken.push([l, QUANTITY_LABEL[q], f]);
        break;
      }
    }
  }
  if (broken.length) {
    const [l, q, f] = broken[0];
    const others =
      broken.length > 1 ? ` (and in ${broken.length - 1} more layer${broken.length > 2 ? "s" : ""})` : "";
    out.push({
      code: "nonfinite",
      severity: "error",
      layer: l.id,
      value: f,
      message: `${fmtPct(f)} of ${q} in layer ${l.id} is NaN or ∞${others}: training has diverged; lower the learning rate, use smaller initial weights, or clip gradients.`,
    });
  }

  // δ flow, relative to the output layer.
  const output = layers[layers.length - 1];
  const outRms = deltaRms(output);
  if (outRms !== null && outRms > 0 && layers.length > 1) {
    let worstLow: { l: LayerLike; r: number } | null = null;
    let worstHigh: { l: LayerLike; r: number } | null = null;
    for (const l of layers.slice(0, -1)) {
      const r0 = deltaRms(l);
      if (r0 === null) continue;
      const r = r0 / outRms;
      if (r < RULES.vanishRatio && (!worstLow || r < worstLow.r)) worstLow = { l, r };
      if (r > RULES.explodeRatio && (!worstHigh || r > worstHigh.r)) worstHigh = { l, r };
    }
    if (worstLow) {
      out.push({
        code: "vanishing",
        severity: "warning",
        layer: worstLow.l.id,
        value: worstLow.r,
        message: `δ in layer ${worstLow.l.id} is ${fmtRatio(worstLow.r)} × the output layer's: gradients are vanishing; try Xavier/He init, ReLU, or batch norm.`,
      });
    }
    if (worstHigh) {
      out.push({
        code: "exploding",
        severity: "warning",
        layer: worstHigh.l.id,
        value: worstHigh.r,
        message: `δ in layer ${worstHigh.l.id} is ${fmtRatio(worstHigh.r)} × the output layer's: gradients are exploding; use smaller initial weights (Xavier/He), a lower learning rate, or gradient clipping.`,
      });
    }
  }

  // Forward signal: var(z) of the deepest hidden layer vs the first.
  const hidden = layers.slice(0, -1).filter((l) => finite(l.var_z_measured));
  if (hidden.length >= 2) {
    const first = hidden[0];
    const last = hidden[hidden.length - 1];
    const v0 = first.var_z_measured as number;
    const v1 = last.var_z_measured as number;
    if (v0 > 0) {
      const r = v1 / v0;
      if (r < RULES.zVanishRatio) {
        out.push({
          code: "z_vanishing",
          severity: "warning",
          layer: last.id,
          value: r,
          message: `var(z) in layer ${last.id} is ${fmtRatio(r)} × layer ${first.id}'s: the signal shrinks with depth; make the initial weights larger (Xavier: var(W) = 1/n_in, He: 2/n_in).`,
        });
      } else if (r > RULES.zExplodeRatio) {
        out.push({
          code: "z_exploding",
          severity: "warning",
          layer: last.id,
          value: r,
          message: `var(z) in layer ${last.id} is ${fmtRatio(r)} × layer ${first.id}'s: the signal grows with depth; make the initial weights smaller (Xavier: var(W) = 1/n_in).`,
        });
      }
    }
  }

  // Per-layer conditions are merged into one line each, naming every layer concerned, so a deep
  // network with the same problem everywhere produces one readable sentence, not ten.
  const saturated: [LayerLike, number, string][] = [];
  const dead: [LayerLike, number][] = [];
  const small: [LayerLike, number][] = [];
  const large: [LayerLike, number][] = [];
  for (const l of layers) {
    const act = activationName(l.activation);
    const sat = fracSaturated(l);
    if (
      (act === "sigmoid" || act === "tanh" || act === "logistic") &&
      sat !== null &&
      sat > RULES.saturatedFrac
    ) {
      saturated.push([l, sat, act]);
    }
    const fd = fracDead(l);
    if ((act === "relu" || act === "rectifier") && fd !== null && fd > RULES.deadFrac) dead.push([l, fd]);
    const ur = l.update_ratio;
    if (finite(ur) && ur > 0) {
      if (ur < RULES.updateRatioLow) small.push([l, ur]);
      else if (ur > RULES.updateRatioHigh) large.push([l, ur]);
    }
  }
  const worst = <T extends [LayerLike, number, ...unknown[]]>(
    xs: T[],
    pick: (a: number, b: number) => boolean,
  ): T => xs.reduce((a, b) => (pick(b[1], a[1]) ? b : a));
  const names = (xs: [LayerLike, ...unknown[]][]) => xs.map((x) => x[0].id).join(", ");
  const plural = (xs: unknown[]) => (xs.length > 1 ? "layers" : "layer");
  if (saturated.length) {
    const [l, v, act] = worst(saturated, (a, b) => a > b);
    out.push({
      code: "saturated",
      severity: "warning",
      layer: l.id,
      value: v,
      message: `${fmtPct(v)} of the ${act} units in layer ${l.id}${saturated.length > 1 ? ` (also ${names(saturated.filter((x) => x[0] !== l))})` : ""} are saturated (f′ < 2 % of its peak): little gradient passes; use smaller initial weights or standardise the inputs.`,
    });
  }
  if (dead.length) {
    const [l, v] = worst(dead, (a, b) => a > b);
    out.push({
      code: "dead_relu",
      severity: "warning",
      layer: l.id,
      value: v,
      message: `${fmtPct(v)} of the ReLU units in layer ${l.id}${dead.length > 1 ? ` (also ${names(dead.filter((x) => x[0] !== l))})` : ""} are dead (zero for every example): they get no gradient; lower the learning rate, use He init, or try leaky ReLU.`,
    });
  }
  if (small.length) {
    const [l, v] = worst(small, (a, b) => a < b);
    out.push({
      code: "update_small",
      severity: "info",
      layer: l.id,
      value: v,
      message: `Updates in ${plural(small)} ${names(small)} change W by as little as ${fmtNum(v)} of its size per step (rule of thumb ≈ 10⁻³): learning is very slow; raise the learning rate.`,
    });
  }
  if (large.length) {
    const [l, v] = worst(large, (a, b) => a > b);
    out.push({
      code: "update_large",
      severity: "warning",
      layer: l.id,
      value: v,
      message: `Updates in ${plural(large)} ${names(large)} change W by up to ${fmtNum(v)} of its size per step (rule of thumb ≈ 10⁻³): training may be unstable; lower the learning rate.`,
    });
  }

  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** How far an update ratio is from 10⁻³, in decades (0 = on target); used to colour the table cell. */
export function updateRatioDecadesOff(ur: number | null | undefined): number | null {
  if (!finite(ur) || ur <= 0) return null;
  return Math.abs(Math.log10(ur) + 3);
}
