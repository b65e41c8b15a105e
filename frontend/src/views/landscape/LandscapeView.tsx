/**
 * The loss-surface lab: race optimisers on a 2-D test function from a start point you click, watch
 * their paths and what each carries (velocity, moments) step by step, compare them at one learning
 * rate or each at its tuned one, read momentum's (α, β) map, and see what α does on f(w) = w².
 * Every path comes from the server's optimiser code, the one that trains networks.
 */
import { memo, useEffect, useRef, useState } from "react";
import type { ViewProps } from "../../app/viewTypes";
import type * as landscape from "../../generated";
import { useStores } from "../../store/context";
import { FullscreenButton } from "../FullscreenButton";
import { ContourCanvas } from "./ContourCanvas";
import { LrDemo } from "./LrDemo";
import { MomentumMapPlot } from "./MomentumMapPlot";
import { NetworkStep } from "./NetworkStep";
import { RunLandscape } from "./RunLandscape";
import {
  FUNCTION_NAMES,
  OPTIMIZER_KINDS,
  OPTIMIZER_TITLES,
  raceRequest,
  type FunctionName,
  type OptimizerKind,
  type RaceControls,
} from "./race";
import { StepReadout } from "./StepReadout";
import { TuningTable } from "./TuningTable";
import { useRace } from "./useRace";
import "./landscape.css";
import { LabError } from "./LabError";

const FRAME_MS = 60;
const INITIAL: RaceControls = {
  fn: "quadratic",
  conditionNumber: 10,
  start: [-2.5, 1.5],
  steps: 60,
  kinds: ["sgd", "momentum", "adam"],
  lr: 0.02,
  momentum: 0.9,
  mode: "same",
};

function useFunctionStarts(): Partial<Record<FunctionName, [number, number]>> {
  const { api } = useStores();
  const [starts, setStarts] = useState<Partial<Record<FunctionName, [number, number]>>>({});
  useEffect(() => {
    api
      .request<landscape.LandscapeFunctionList>("GET", "/landscape/functions")
      .then((list) =>
        setStarts(Object.fromEntries(list.functions.map((f) => [f.name, f.start as [number, number]]))),
      )
      .catch(() => undefined);
  }, [api]);
  return starts;
}

/** Steps 0 … last, advancing while playing; a new race starts again from 0. */
function usePlayback(last: number, resetKey: unknown) {
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(true);
  useEffect(() => {
    setStep(0);
    setPlaying(true);
  }, [resetKey]);
  useEffect(() => {
    if (!playing) return;
    const id = window.setInterval(() => {
      setStep((s) => {
        if (s >= last) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, FRAME_MS);
    return () => window.clearInterval(id);
  }, [playing, last]);
  return { step: Math.min(step, last), setStep, playing, setPlaying };
}

function OptimizerPicker({
  kinds,
  onChange,
}: {
  kinds: readonly OptimizerKind[];
  onChange: (k: OptimizerKind[]) => void;
}) {
  return (
    <fieldset className="lab-picker">
      <legend>Optimisers</legend>
      {OPTIMIZER_KINDS.map((k) => (
        <label key={k} title={OPTIMIZER_TITLES[k]}>
          <input
            type="checkbox"
            checked={kinds.includes(k)}
            onChange={(e) =>
              onChange(
                e.target.checked
                  ? OPTIMIZER_KINDS.filter((o) => o === k || kinds.includes(o))
                  : kinds.filter((o) => o !== k),
              )
            }
          />
          {k}
        </label>
      ))}
    </fieldset>
  );
}

function LandscapeViewImpl({ visible }: ViewProps) {
  const rootRef = useRef<HTMLDivElement | null>(null);
  const [controls, setControls] = useState<RaceControls>(INITIAL);
  const starts = useFunctionStarts();
  const set = (patch: Partial<RaceControls>) => setControls((c) => ({ ...c, ...patch }));
  // Nothing is asked of the server until the tab is first shown.
  const [shown, setShown] = useState(visible);
  useEffect(() => {
    if (visible) setShown(true);
  }, [visible]);
  const request = shown && controls.kinds.length > 0 ? raceRequest(controls) : null;
  const { data, error, loading } = useRace(request);
  const last = data ? Math.max(0, ...data.trajectories.map((t) => t.points.length - 1)) : 0;
  const { step, setStep, playing, setPlaying } = usePlayback(last, data);

  return (
    <div className="live-view lab-view" ref={rootRef} data-testid="landscape-lab">
      <div className="view-toolbar">
        <label>
          Function{" "}
          <select
            aria-label="Test function"
            value={controls.fn}
            onChange={(e) => {
              const fn = e.target.value as FunctionName;
              set({ fn, start: starts[fn] ?? controls.start });
            }}
          >
            {FUNCTION_NAMES.map((n) => (
              <option key={n} value={n}>
                {n.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        {controls.fn === "quadratic" ? (
          <label title="Condition number κ of x² + κ·y²: how much steeper y is than x">
            κ = {controls.conditionNumber}{" "}
            <input
              type="range"
              aria-label="Condition number"
              min={0}
              max={2}
              step={0.1}
              value={Math.log10(controls.conditionNumber)}
              onChange={(e) =>
                set({ conditionNumber: Number((10 ** Number(e.target.value)).toPrecision(2)) })
              }
            />
          </label>
        ) : null}
        <label>
          α{" "}
          <input
            type="number"
            aria-label="Learning rate"
            className="lab-num"
            min={0.00001}
            max={10}
            step="any"
            value={controls.lr}
            onChange={(e) => Number(e.target.value) > 0 && set({ lr: Number(e.target.value) })}
          />
        </label>
        <label title="β of the momentum forms">
          β{" "}
          <input
            type="number"
            aria-label="Momentum"
            className="lab-num"
            min={0}
            max={0.99}
            step={0.05}
            value={controls.momentum}
            onChange={(e) => {
              const b = Number(e.target.value);
              if (b > 0 && b < 1) set({ momentum: b });
            }}
          />
        </label>
        <label>
          steps{" "}
          <input
            type="number"
            aria-label="Steps"
            className="lab-num"
            min={1}
            max={1000}
            value={controls.steps}
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              if (n >= 1 && n <= 1000) set({ steps: n });
            }}
          />
        </label>
        <span role="radiogroup" aria-label="Learning rates" className="lab-mode">
          {(["same", "tuned"] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="lab-mode"
                checked={controls.mode === m}
                onChange={() => set({ mode: m })}
              />
              {m === "same" ? "same learning rate" : "each tuned"}
            </label>
          ))}
        </span>
        <span className="lab-play">
          <button type="button" onClick={() => setPlaying(!playing)} disabled={!data}>
            {playing ? "Pause" : "Play"}
          </button>
          <button
            type="button"
            onClick={() => setStep(Math.max(0, step - 1))}
            disabled={!data}
            aria-label="Step back"
          >
            ◀
          </button>
          <button
            type="button"
            onClick={() => setStep(Math.min(last, step + 1))}
            disabled={!data}
            aria-label="Step forward"
          >
            ▶
          </button>
          <input
            type="range"
            aria-label="Shown step"
            min={0}
            max={last}
            value={step}
            onChange={(e) => {
              setPlaying(false);
              setStep(Number(e.target.value));
            }}
          />
          <output data-testid="lab-step">step {step}</output>
        </span>
        {loading ? <span className="lab-status">computing…</span> : null}
        <FullscreenButton target={rootRef} />
      </div>
      <OptimizerPicker kinds={controls.kinds} onChange={(kinds) => set({ kinds })} />
      <LabError error={error} />
      {data ? (
        <div className="lab-body">
          <div className="lab-left">
            <p className="lab-formula">
              f(x, y) = {data.function.formula}
              {data.function.name === "quadratic" ? ` (κ = ${data.condition_number})` : ""} · start (
              {controls.start[0]}, {controls.start[1]}) · click the plot to start elsewhere
            </p>
            <ContourCanvas
              data={data}
              start={controls.start}
              step={step}
              onStart={(start) => set({ start })}
            />
            <p className="lab-legend">
              Dashed grey: −g, the steepest way down · dotted: −v or −m̂, where the optimiser&apos;s memory
              points · ring: start · ×: minimum
            </p>
          </div>
          <StepReadout trajectories={data.trajectories} step={step} />
          <div className="lab-right">
            {data.tuning ? <TuningTable tuning={data.tuning} /> : null}
            {data.momentum_map ? (
              <MomentumMapPlot map={data.momentum_map} onPick={({ lr, momentum }) => set({ lr, momentum })} />
            ) : null}
            <LrDemo />
          </div>
        </div>
      ) : null}
      <NetworkStep />
      <RunLandscape />
    </div>
  );
}

export const LandscapeView = memo(LandscapeViewImpl);
