/** Rows of the per-layer table under the gradient-flow charts (pure). */
import { activationName, finite, type FrameLike } from "../logic/frame";
import { deltaRms, fracDead, fracSaturated, updateRatioDecadesOff, weightedLayers } from "../logic/warnings";

export interface GradRow {
  id: string;
  activation: string;
  deltaRms: number | null;
  /** RMS δ relative to the output layer's */
  deltaRatio: number | null;
  gradWNorm: number | null;
  dead: number | null;
  saturated: number | null;
  updateRatio: number | null;
  /** decades away from the 10⁻³ rule of thumb */
  updateOff: number | null;
  varZPredicted: number | null;
  varZMeasured: number | null;
}

export function gradRows(frame: FrameLike | null | undefined): GradRow[] {
  const layers = weightedLayers(frame);
  const out = layers.length ? deltaRms(layers[layers.length - 1]) : null;
  return layers.map((l) => {
    const d = deltaRms(l);
    // ‖∂L/∂W‖ from the frame, else from its RMS: ‖g‖ = rms·√(number of weights) = rms·√(n_in·n_out).
    let norm: number | null = finite(l.grad_W_norm) ? l.grad_W_norm : null;
    if (norm === null && finite(l.grad_W?.stats?.rms) && finite(l.n_in) && finite(l.n_out)) {
      norm = (l.grad_W?.stats?.rms as number) * Math.sqrt((l.n_in as number) * (l.n_out as number));
    }
    return {
      id: l.id,
      activation: activationName(l.activation),
      deltaRms: d,
      deltaRatio: d !== null && out ? d / out : null,
      gradWNorm: norm,
      dead: fracDead(l),
      saturated: fracSaturated(l),
      updateRatio: finite(l.update_ratio) ? l.update_ratio : null,
      updateOff: updateRatioDecadesOff(l.update_ratio),
      varZPredicted: finite(l.var_z_predicted) ? l.var_z_predicted : null,
      varZMeasured: finite(l.var_z_measured) ? l.var_z_measured : null,
    };
  });
}
