/** The newest loss and accuracy, written straight into the DOM each animation frame (not React state). */
import { useRef } from "react";
import { useTelemetryTick } from "../telemetry/tick";

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

export function LiveLoss() {
  const loss = useRef<HTMLElement>(null);
  const acc = useRef<HTMLSpanElement>(null);
  useTelemetryTick((hub, changed) => {
    if (!changed) return;
    const f = hub.latest;
    if (loss.current) loss.current.textContent = fmt(f?.loss);
    if (acc.current) {
      const a = f?.accuracy;
      acc.current.textContent = a === null || a === undefined ? "" : ` · accuracy ${(a * 100).toFixed(1)} %`;
    }
  });
  return (
    <span className="live-loss">
      loss{" "}
      <strong ref={loss} data-testid="live-loss">
        —
      </strong>
      <span ref={acc} />
    </span>
  );
}
