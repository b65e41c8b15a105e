/** Every optimiser at the shown step: θ, f, the gradient there, and the step it takes with its state. */
import { CATEGORICAL } from "../../charts/palette";
import { exact, OPTIMIZER_TITLES, type RaceTrajectory, type StepState } from "./race";

type Vec = readonly (number | null)[] | null | undefined;

function pair(v: Vec): string {
  return v ? `(${exact(v[0])}, ${exact(v[1])})` : "—";
}

const STATE_ROWS: readonly [keyof StepState, string][] = [
  ["velocity", "v (velocity)"],
  ["sum_sq", "Σg² (AdaGrad)"],
  ["mean_sq", "E[g²] (RMSProp)"],
  ["m", "m (1st moment)"],
  ["v", "v (2nd moment)"],
  ["m_hat", "m̂ = m/(1−β1ᵗ)"],
  ["v_hat", "v̂ = v/(1−β2ᵗ)"],
];

function OptimizerReadout({ t, index, step }: { t: RaceTrajectory; index: number; step: number }) {
  const k = Math.min(step, t.points.length - 1);
  const point = t.points[k] ?? [];
  const next = t.state[k];
  return (
    <div className="lab-readout-card" data-testid={`lab-readout-${t.optimizer.kind}`}>
      <h4>
        <span className="swatch" style={{ background: CATEGORICAL[index % CATEGORICAL.length] }} />
        {OPTIMIZER_TITLES[t.optimizer.kind ?? "sgd"]} · α = {exact(t.optimizer.lr ?? null)}
        {t.diverged && k === t.points.length - 1 ? <span className="lab-diverged"> diverged</span> : null}
      </h4>
      <table className="lab-numbers">
        <tbody>
          <tr>
            <th>θ{k}</th>
            <td>{pair(point.slice(0, 2))}</td>
          </tr>
          <tr>
            <th>f(θ{k})</th>
            <td>{exact(point[2])}</td>
          </tr>
          {next ? (
            <>
              <tr className="lab-step-head">
                <th colSpan={2}>step t = {next.step}</th>
              </tr>
              <tr>
                <th>g = ∇f(θ{k})</th>
                <td>{pair(next.grad)}</td>
              </tr>
              {STATE_ROWS.filter(([key]) => next[key] != null).map(([key, label]) => (
                <tr key={key}>
                  <th>{label}</th>
                  <td>{pair(next[key] as Vec)}</td>
                </tr>
              ))}
              <tr>
                <th>Δθ</th>
                <td>{pair(next.update)}</td>
              </tr>
            </>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

export function StepReadout({
  trajectories,
  step,
}: {
  trajectories: readonly RaceTrajectory[];
  step: number;
}) {
  return (
    <div className="lab-readout" aria-label="Step-by-step numbers">
      {trajectories.map((t, i) => (
        <OptimizerReadout key={i} t={t} index={i} step={step} />
      ))}
    </div>
  );
}
