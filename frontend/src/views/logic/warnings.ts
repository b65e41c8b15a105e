/**
 * The thresholds of the engine's plain-language diagnosis (backend/glassnet/engine/diagnosis.py, which
 * writes the sentences into every frame), used here to flag the table cells and canvas tiles they
 * concern, and the per-layer readings those views share. A test keeps RULES equal to the engine's.
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
import { finite, type FrameLike, type LayerLike } from "./frame";

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

/** How far an update ratio is from 10⁻³, in decades (0 = on target); used to colour the table cell. */
export function updateRatioDecadesOff(ur: number | null | undefined): number | null {
  if (!finite(ur) || ur <= 0) return null;
  return Math.abs(Math.log10(ur) + 3);
}
