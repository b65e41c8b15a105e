/** Play / pause / step / epoch / reset, speed and the live learning rate, with the run's state. */
import { useShallow } from "zustand/react/shallow";
import type { RunState } from "../net/api";
import { isRunning, SPEEDS, type RunControlState, type Speed } from "../store/runStore";
import { useRunStore, useSpecStore, useStores } from "../store/context";
import { NumberInput } from "./forms";
import { LiveCounters } from "./LiveCounters";

const SPEED_LABEL: Record<Speed, string> = { slow: "slow", medium: "medium", full: "full speed" };

const STATE_TEXT: Record<RunState, string> = {
  created: "ready",
  running: "training",
  paused: "paused",
  stalled: "stalled (not answering)",
  finished: "finished",
  stopped: "stopped",
  diverged: "diverged (loss became NaN or infinite)",
  failed: "failed",
  interrupted: "interrupted",
};

/** The two stepping buttons: one training step, one epoch. */
const STEPS: { id: string; label: string; title: string; take: (ctl: RunControlState) => Promise<void> }[] = [
  {
    id: "step",
    label: "Step",
    title: "One training step: forward, backprop, update (S)",
    take: (ctl) => ctl.stepOnce(),
  },
  { id: "epoch", label: "Epoch", title: "One epoch (E)", take: (ctl) => ctl.stepEpoch() },
];

export function RunControls() {
  const { runs } = useStores();
  const r = useRunStore(
    useShallow((s) => ({
      state: s.state,
      speed: s.speed,
      busy: s.busy,
      error: s.error,
      running: isRunning(s),
      stopReason: s.stopReason,
      socket: s.socket,
      runId: s.runId,
      owned: s.owner !== null,
      checkpointStep: s.checkpointStep,
    })),
  );
  const lr = useSpecStore((s) => s.rest.training.optimizer?.lr ?? 0.03);
  const invalid = useSpecStore((s) => s.validation.status === "invalid");
  const diagnosis = useRunStore((s) => (s.diagnosis as { message?: string } | null)?.message ?? null);
  const ctl = runs.getState();
  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      <button
        className="primary play"
        onClick={() => void ctl.togglePlay()}
        disabled={invalid && !r.running}
        title={invalid ? "Fix the problems shown on the network first" : "Play / pause (Space)"}
        aria-label={r.running ? "Pause" : "Play"}
        data-testid="play"
      >
        {r.running ? "❚❚ Pause" : "▶ Play"}
      </button>
      {STEPS.map(({ id, label, title, take }) => (
        <button key={id} onClick={() => void take(ctl)} disabled={invalid} title={title} data-testid={id}>
          {label}
        </button>
      ))}
      {r.state === "interrupted" && r.owned ? (
        <button
          className="primary"
          onClick={() => void ctl.resumeInterrupted()}
          disabled={r.busy}
          title={
            r.checkpointStep !== null
              ? `Train on from the run's last checkpoint (step ${r.checkpointStep})`
              : "Train on from the run's last checkpoint"
          }
          data-testid="resume-interrupted"
        >
          ⟳ Resume
        </button>
      ) : null}
      <button
        onClick={() => void ctl.reset()}
        title="Reset: new weights on the next play (R)"
        data-testid="reset"
      >
        ↺ Reset
      </button>
      <label className="inline" title="Speed (1, 2, 3)">
        <span>speed</span>
        <select aria-label="speed" value={r.speed} onChange={(e) => ctl.setSpeed(e.target.value as Speed)}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {SPEED_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="inline" title="Learning rate α; changes apply to the running network">
        <span>α</span>
        <NumberInput
          value={lr}
          min={1e-6}
          max={100}
          onChange={(v) => v !== null && v > 0 && void ctl.setLr(v)}
          ariaLabel="learning rate"
          className="num lr"
        />
      </label>
      <span className="run-status" aria-live="polite" data-testid="run-status">
        <span className={`state state-${r.state ?? "none"}`}>
          {r.state ? STATE_TEXT[r.state] : "not started"}
        </span>
        <LiveCounters />
        {r.runId && r.socket !== "open" ? <span className="muted">live view {r.socket}</span> : null}
      </span>
      {r.state === "diverged" && diagnosis ? (
        <span className="run-error" role="alert" data-testid="diagnosis">
          ⚠ {diagnosis}
        </span>
      ) : r.state === "stalled" && r.stopReason ? (
        <span className="run-error" role="alert" data-testid="stalled">
          ⚠ {r.stopReason}: it carries on if the worker answers again, else it is ended
        </span>
      ) : r.state === "failed" && r.stopReason ? (
        <span className="run-error" role="alert" data-testid="failure">
          ⚠ {r.stopReason}
        </span>
      ) : r.stopReason && r.state !== "running" ? (
        <span className="stop-reason">{r.stopReason}</span>
      ) : null}
      {r.error ? (
        <span className="run-error" role="alert">
          ⚠ {r.error}{" "}
          <button className="link" onClick={() => ctl.clearError()} aria-label="dismiss">
            ✕
          </button>
        </span>
      ) : null}
    </div>
  );
}
