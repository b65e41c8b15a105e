/**
 * What the gallery says about each activation: its range (the lecture's table corrected, each
 * correction named), where it saturates and what that does to δ = f′(z)·(Wᵀδ_next). Saturation and
 * the δ factor are measured from f′ itself, not typed in. Pure.
 */
import { activationAt } from "../../catalog/activationFns";

export type ActivationInput = Parameters<typeof activationAt>[0];

export interface RangeFact {
  range: string;
  /** The range the lecture's table prints, where it is wrong (ann-training-lecture L744-746). */
  printed?: string;
}

export const RANGES: Record<string, RangeFact> = {
  linear: { range: "(−∞, ∞)" },
  step: { range: "{0, 1}" },
  sign: { range: "{−1, 1}" },
  sigmoid: { range: "(0, 1)" },
  tanh: { range: "(−1, 1)" },
  relu: { range: "[0, ∞)" },
  leaky_relu: { range: "(−∞, ∞)", printed: "(−1, 1)" },
  prelu: { range: "(−∞, ∞)" },
  elu: { range: "(−α, ∞)", printed: "[0, ∞)" },
  softplus: { range: "(0, ∞)", printed: "(0, 1), which is the range of its derivative" },
  silu: { range: "[≈ −0.278, ∞)" },
  gelu: { range: "[≈ −0.170, ∞)" },
  softmax: { range: "(0, 1) per unit, the units summing to 1" },
};

export const Z_LO = -8;
export const Z_HI = 8;
const SAMPLES = 321;
/** f′ below this share of its largest value counts as saturated. */
export const SATURATED = 0.05;

export interface Interval {
  lo: number;
  hi: number;
}

export interface DeltaFacts {
  maxSlope: number;
  /** z where f′ = 0 exactly: δ is exactly zero there. */
  dead: Interval[];
  /** z where 0 < f′ < SATURATED·max: δ is almost zero there. */
  saturated: Interval[];
}

function intervals(zs: readonly number[], inside: readonly boolean[]): Interval[] {
  const out: Interval[] = [];
  let from: number | null = null;
  zs.forEach((z, i) => {
    if (inside[i] && from === null) from = z;
    if (!inside[i] && from !== null) {
      out.push({ lo: from, hi: zs[i - 1]! });
      from = null;
    }
  });
  if (from !== null) out.push({ lo: from, hi: zs[zs.length - 1]! });
  return out;
}

export function deltaFacts(spec: ActivationInput): DeltaFacts {
  const zs = Array.from({ length: SAMPLES }, (_, i) => Z_LO + ((Z_HI - Z_LO) * i) / (SAMPLES - 1));
  const slopes = zs.map((z) => Math.abs(activationAt(spec, z)[1]));
  const maxSlope = Math.max(...slopes);
  return {
    maxSlope,
    dead:
      maxSlope > 0
        ? intervals(
            zs,
            slopes.map((s) => s === 0),
          )
        : [{ lo: Z_LO, hi: Z_HI }],
    saturated: intervals(
      zs,
      slopes.map((s) => s > 0 && s < SATURATED * maxSlope),
    ),
  };
}

/** "z < −4.1", "z > 4.1" or "−1 < z < 1"; the sampled window's edges read as ±∞. */
export function describeInterval(iv: Interval): string {
  const lo = iv.lo <= Z_LO;
  const hi = iv.hi >= Z_HI;
  const n = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1)).replace("-", "−");
  if (lo && hi) return "every z";
  if (lo) return `z < ${n(iv.hi)}`;
  if (hi) return `z > ${n(iv.lo)}`;
  return `${n(iv.lo)} < z < ${n(iv.hi)}`;
}

/** One or two sentences on what the activation does to δ on its way back. */
export function deltaSentence(f: DeltaFacts): string {
  if (f.maxSlope === 0) return "f′ = 0 wherever it is defined: δ is 0, so gradient descent cannot train it.";
  const parts: string[] = [];
  if (f.dead.length) parts.push(`δ = 0 exactly for ${f.dead.map(describeInterval).join(" and ")}.`);
  if (f.saturated.length)
    parts.push(
      `Saturates for ${f.saturated.map(describeInterval).join(" and ")}: there f′ < ${SATURATED}·max, so δ all but vanishes.`,
    );
  if (f.maxSlope < 1)
    parts.push(
      `f′ ≤ ${Number(f.maxSlope.toFixed(4))}: through 10 such layers δ shrinks by at least ${f.maxSlope ** 10 < 1e-3 ? (f.maxSlope ** 10).toExponential(1) : (f.maxSlope ** 10).toFixed(4)}.`,
    );
  if (!parts.length) parts.push("f′ stays near 1 or above: δ passes through undiminished.");
  return parts.join(" ");
}
