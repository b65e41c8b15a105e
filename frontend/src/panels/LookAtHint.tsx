/** One line above the canvas with the loaded preset's "what to look at", so a class reading the
 * projected screen knows which view to watch while the run trains. Dismissible; the next load
 * (preset, experiment, link) brings its own hint or none. */
import { useState } from "react";
import { useSpecStore } from "../store/context";

export function LookAtHint() {
  const lookAt = useSpecStore((s) => s.lookAt);
  const loads = useSpecStore((s) => s.loads);
  const [dismissedLoad, setDismissedLoad] = useState<number | null>(null);
  if (!lookAt || dismissedLoad === loads) return null;
  return (
    <div className="look-at" role="note" data-testid="look-at">
      <span className="look-at-text" title={lookAt}>
        {lookAt}
      </span>
      <button
        type="button"
        className="link look-at-dismiss"
        onClick={() => setDismissedLoad(loads)}
        aria-label="Dismiss the hint"
        title="Dismiss"
      >
        ✕
      </button>
    </div>
  );
}
