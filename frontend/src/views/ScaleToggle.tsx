/**
 * The live views' histogram options: the scale (linear values or log₁₀|x|, where tiny δs become
 * visible) and the x axes.
 */
import type { AxisMode, ScaleMode } from "../charts/histAxis";

/** Linear values or log₁₀|x|. */
export function ScaleToggle({ scale, onChange }: { scale: ScaleMode; onChange: (scale: ScaleMode) => void }) {
  return (
    <div className="seg" role="group" aria-label="Histogram scale">
      <button type="button" aria-pressed={scale === "linear"} onClick={() => onChange("linear")}>
        Linear
      </button>
      <button type="button" aria-pressed={scale === "log"} onClick={() => onChange("log")}>
        log₁₀|x|
      </button>
    </div>
  );
}

/** Histogram x axes: one per column (labelled `perLabel`) or one shared by the whole row. */
export function AxisToggle({
  axis,
  onChange,
  perLabel,
}: {
  axis: AxisMode;
  onChange: (axis: AxisMode) => void;
  perLabel: string;
}) {
  return (
    <div className="seg" role="group" aria-label="x axes">
      <button type="button" aria-pressed={axis === "per-layer"} onClick={() => onChange("per-layer")}>
        {perLabel}
      </button>
      <button type="button" aria-pressed={axis === "shared"} onClick={() => onChange("shared")}>
        Shared
      </button>
    </div>
  );
}
