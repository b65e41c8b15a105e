/**
 * Epoch, step, loss and accuracy of the watched run, the device it trains on and what the telemetry
 * budget did to its frames, written straight into the DOM each animation
 * frame from the telemetry hub (not React state); the run store's values fill in before any frame.
 */
import { useRef } from "react";
import { useStores } from "../store/context";
import { useTelemetryTick } from "../telemetry/tick";
import { frameNoteLabel } from "./frameNote";

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

export function LiveCounters() {
  const { runs, hub } = useStores();
  const epoch = useRef<HTMLElement>(null);
  const step = useRef<HTMLElement>(null);
  const loss = useRef<HTMLElement>(null);
  const acc = useRef<HTMLSpanElement>(null);
  const device = useRef<HTMLSpanElement>(null);
  const note = useRef<HTMLSpanElement>(null);
  useTelemetryTick(hub, () => {
    const f = hub.latest;
    const r = runs.getState();
    const sameRun = f !== null && f.run === r.runId;
    const text = (el: HTMLElement | null, value: string) => {
      if (el && el.textContent !== value) el.textContent = value;
    };
    text(epoch.current, String(sameRun ? Math.max(f.epoch, r.epoch) : r.epoch));
    text(step.current, String(sameRun ? Math.max(f.step, r.step) : r.step));
    text(loss.current, fmt(sameRun ? f.loss : null));
    const a = sameRun ? f.accuracy : null;
    text(acc.current, a === null || a === undefined ? "" : ` · accuracy ${(a * 100).toFixed(1)} %`);
    text(device.current, sameRun && typeof f.device === "string" ? `on ${f.device}` : "");
    // the telemetry budget's note: frames come slower than asked because they cost too much here
    // or the run shares its core; short in the bar (it must not wrap the header), the whole
    // sentence on hover
    const why = sameRun && typeof f.frame_note === "string" ? f.frame_note : "";
    text(note.current, frameNoteLabel(why));
    if (note.current && note.current.title !== why) note.current.title = why;
  });
  return (
    <>
      <span>
        epoch{" "}
        <strong ref={epoch} data-testid="epoch-count">
          0
        </strong>
      </span>
      <span>
        step{" "}
        <strong ref={step} data-testid="step-count">
          0
        </strong>
      </span>
      <span className="live-loss">
        loss{" "}
        <strong ref={loss} data-testid="live-loss">
          —
        </strong>
        <span ref={acc} />
      </span>
      <span ref={device} className="live-device" data-testid="run-device" />
      <span ref={note} className="live-device" data-testid="frame-note" />
    </>
  );
}
