/** "Each tuned": the learning-rate grid every optimiser was searched over, its best α marked. */
import type * as landscape from "../../generated";
import { OPTIMIZER_TITLES, type OptimizerKind } from "./race";

/** α as a short label: 0.0003 → 3e-4, 0.03 → 0.03. */
function short(lr: number): string {
  return lr < 0.01 ? lr.toExponential(0).replace("e-", "e−") : String(lr);
}

export function TuningTable({ tuning }: { tuning: readonly landscape.LrTuning[] }) {
  const grid = tuning[0]?.trials.map((t) => t.lr) ?? [];
  return (
    <div className="lab-tuning-box">
      <table className="lab-tuning" data-testid="lab-tuning">
        <caption>f after the race at each α (best bold)</caption>
        <thead>
          <tr>
            <th>α</th>
            {grid.map((lr) => (
              <th key={lr}>{short(lr)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tuning.map((t, i) => (
            <tr key={i}>
              <th title={OPTIMIZER_TITLES[t.kind as OptimizerKind]}>{t.kind}</th>
              {t.trials.map((trial) => (
                <td key={trial.lr} className={trial.lr === t.best_lr ? "best" : undefined}>
                  {trial.final_loss === null ? "✕" : trial.final_loss.toPrecision(3)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
