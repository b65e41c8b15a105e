/** The live views' histogram scale: linear values or log₁₀|x| (where tiny δs become visible). */
import type { ScaleMode } from "../charts/histAxis";

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
