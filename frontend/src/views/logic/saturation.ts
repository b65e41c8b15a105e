/**
 * Saturation zones of an activation: the ranges of z where the derivative f′(z) is below 2 % of its
 * maximum. A unit whose z sits there passes back less than 2 % of the gradient it would at its steepest
 * point, so δ = f′(z)·(Wᵀδ_next) all but vanishes. The z histogram shades these zones behind the bars.
 * 2 % is the engine's definition too (glassnet.engine.activations), so the shaded area is exactly what
 * the frame's `frac_saturated` counts.
 *
 * Thresholds (solved in closed form, see `saturationZones`):
 *   sigmoid   σ′ = σ(1−σ) ≤ 0.25;  σ′ < 0.005   ⇔ |z| > 5.29
 *   tanh      tanh′ = sech² ≤ 1;   sech² < 0.02 ⇔ |z| > 2.64
 *   relu      f′ = 0 for z < 0 (the dead zone; f′ is not small but exactly zero)
 *   elu(α=1)  f′ = eᶻ for z < 0;   < 0.02       ⇔ z < ln 0.02 = −3.91
 *   softplus  f′ = σ(z) ≤ 1;       < 0.02       ⇔ z < ln(0.02/0.98) = −3.89
 *   step      f′ = 0 everywhere except 0: the whole axis
 * linear, leaky ReLU (slope ≥ 2 % of 1), softmax (handled per output, not per unit) have no zone.
 */
import type { Zone } from "../../charts/histogramGrid";
import { activationName, type ActivationLike } from "./frame";

/** Fraction of the peak derivative below which a unit counts as saturated. */
export const SATURATION_FRACTION = 0.02;

export type { Zone, ZoneKind } from "../../charts/histogramGrid";

/** |z| beyond which σ′(z) < frac · σ′(0). σ(1−σ) = frac/4 ⇒ σ = (1 − √(1−frac))/2. */
export function sigmoidThreshold(frac = SATURATION_FRACTION): number {
  const s = (1 - Math.sqrt(1 - frac)) / 2;
  return -Math.log(s / (1 - s));
}

/** |z| beyond which tanh′(z) = sech²(z) < frac. */
export function tanhThreshold(frac = SATURATION_FRACTION): number {
  return Math.acosh(1 / Math.sqrt(frac));
}

export function saturationZones(act: ActivationLike, frac = SATURATION_FRACTION): Zone[] {
  const name = activationName(act);
  switch (name) {
    case "sigmoid":
    case "logistic": {
      const t = sigmoidThreshold(frac);
      return [
        { from: -Infinity, to: -t, kind: "saturated" },
        { from: t, to: Infinity, kind: "saturated" },
      ];
    }
    case "tanh": {
      const t = tanhThreshold(frac);
      return [
        { from: -Infinity, to: -t, kind: "saturated" },
        { from: t, to: Infinity, kind: "saturated" },
      ];
    }
    case "relu":
    case "rectifier":
      return [{ from: -Infinity, to: 0, kind: "dead" }];
    case "leaky_relu": {
      const slope = typeof act === "object" && act && typeof act.slope === "number" ? act.slope : 0.01;
      return slope < frac ? [{ from: -Infinity, to: 0, kind: "dead" }] : [];
    }
    case "elu": {
      const alpha = typeof act === "object" && act && typeof act.alpha === "number" ? act.alpha : 1;
      // f′(z) = α·eᶻ for z < 0 and 1 for z > 0, so the peak is max(α, 1).
      const peak = Math.max(alpha, 1);
      if (alpha <= 0) return [{ from: -Infinity, to: 0, kind: "dead" }];
      return [{ from: -Infinity, to: Math.log((frac * peak) / alpha), kind: "saturated" }];
    }
    case "softplus":
      return [{ from: -Infinity, to: Math.log(frac / (1 - frac)), kind: "saturated" }];
    case "step":
    case "threshold":
    case "heaviside":
      return [{ from: -Infinity, to: Infinity, kind: "saturated" }];
    default:
      return [];
  }
}

/** Zones clipped to the visible z range [lo, hi]; empty pieces removed. */
export function visibleZones(zones: readonly Zone[], lo: number, hi: number): Zone[] {
  const out: Zone[] = [];
  for (const z of zones) {
    const from = Math.max(z.from, lo);
    const to = Math.min(z.to, hi);
    if (to > from) out.push({ from, to, kind: z.kind });
  }
  return out;
}

/** Short legend text for the zone, e.g. "shaded: |z| > 5.29, σ′(z) < 2 % of its peak". */
export function zoneLegend(act: ActivationLike, frac = SATURATION_FRACTION): string | null {
  const name = activationName(act);
  const pct = `${Math.round(frac * 100)} %`;
  switch (name) {
    case "sigmoid":
    case "logistic":
      return `shaded: |z| > ${sigmoidThreshold(frac).toFixed(2)}, σ′(z) < ${pct} of its peak`;
    case "tanh":
      return `shaded: |z| > ${tanhThreshold(frac).toFixed(2)}, tanh′(z) < ${pct} of its peak`;
    case "relu":
    case "rectifier":
      return "shaded: z < 0, ReLU passes no gradient (dead zone)";
    default: {
      const zones = saturationZones(act, frac);
      if (zones.length === 0) return null;
      return `shaded: f′(z) < ${pct} of its peak`;
    }
  }
}

/**
 * Zones for a frame's layer: the engine's own threshold (`saturation_zone: [t]`, |z| > t) when the frame
 * carries one, so the shading matches `frac_saturated` exactly; otherwise the closed forms above.
 */
export function layerZones(layer: {
  activation?: ActivationLike;
  saturation_zone?: ArrayLike<number> | null;
}): Zone[] {
  const t = layer.saturation_zone?.[0];
  if (typeof t === "number" && Number.isFinite(t) && t > 0) {
    return [
      { from: -Infinity, to: -t, kind: "saturated" },
      { from: t, to: Infinity, kind: "saturated" },
    ];
  }
  return saturationZones(layer.activation);
}
