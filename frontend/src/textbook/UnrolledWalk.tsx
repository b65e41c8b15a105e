/**
 * Textbook mode for a recurrent network: the layer unrolled over its steps for the example being
 * walked (x_t, z_t or the gates, c_t, h_t, then δ_t from the last step back), the gradient each step
 * adds to W_hh and W_hx with their sum (what BPTT hands the update), and the lecture's gradient
 * counts; the output layer's predictions beside it.
 */
import { formatNumber, type Precision } from "./logic/format";
import { reached, type StepState } from "./logic/steps";
import { matrix, type Rows, type TraceResponse } from "./logic/trace";
import { gradientCounts, unrollLayer, type StepGradient, type UnrolledLayer } from "./logic/unrolled";
import { Cell, Hidden } from "./TableCells";
import { TraceOutputs } from "./Tables";

function StepHeads({ steps }: { steps: number }) {
  return (
    <>
      {Array.from({ length: steps }, (_, t) => (
        <th key={t} scope="col">
          t = {t + 1}
        </th>
      ))}
    </>
  );
}

function UnrolledTable({
  layer,
  index,
  step,
  precision,
}: {
  layer: UnrolledLayer;
  index: number;
  step: StepState;
  precision: Precision;
}) {
  const reach = reached(step, index);
  return (
    <table className="tb-table" data-testid={`tb-unrolled-${layer.id}`}>
      <caption>
        {layer.id} ({layer.kind}) unrolled over {layer.steps} steps, example d{step.example + 1}
      </caption>
      <thead>
        <tr>
          <th scope="col" />
          <StepHeads steps={layer.steps} />
        </tr>
      </thead>
      <tbody>
        {layer.rows.map((r) => {
          const shown = r.key === "x" || (r.backward ? reach.backward : reach.forward);
          return (
            <tr key={`${r.key}-${r.unit}`} className={r.backward ? "tb-backward-row" : undefined}>
              <th scope="row">{r.label}</th>
              {shown ? (
                r.values.map((v, t) => (
                  <Cell
                    key={t}
                    v={v}
                    q={r.backward ? "delta" : r.key === "z" ? "z" : "a"}
                    precision={precision}
                    testId={`tb-rnn-${r.key}-${r.unit + 1}-t${t + 1}`}
                  />
                ))
              ) : (
                <Hidden
                  n={layer.steps}
                  why={r.backward ? "Step backward to this layer" : "Step forward to this layer"}
                />
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function name(g: StepGradient): string {
  return `${g.matrix}[${g.row + 1},${g.col + 1}]`;
}

function GradientTable({
  layer,
  trace,
  index,
  step,
  precision,
}: {
  layer: UnrolledLayer;
  trace: TraceResponse;
  index: number;
  step: StepState;
  precision: Precision;
}) {
  const reach = reached(step, index);
  const after = trace.layers[index]?.weights_after as Record<string, unknown> | undefined;
  const afterOf = (g: StepGradient) => matrix((after?.[g.matrix] ?? []) as never)[g.row]?.[g.col] ?? null;
  return (
    <table className="tb-table" data-testid={`tb-bptt-${layer.id}`}>
      <caption>
        BPTT: the gradient each step adds to W_hh and W_hx (all examples), summed for the update w ← w − α·Σ
      </caption>
      <thead>
        <tr>
          <th scope="col">w</th>
          <StepHeads steps={layer.steps} />
          <th scope="col">Σ = ∂E/∂w</th>
          <th scope="col">after</th>
        </tr>
      </thead>
      <tbody>
        {layer.gradients.map((g) => (
          <tr key={name(g)}>
            <th scope="row">W_{name(g)}</th>
            {reach.backward ? (
              <>
                {g.perStep.map((v, t) => (
                  <Cell
                    key={t}
                    v={v}
                    q="grad"
                    precision={precision}
                    testId={`tb-bptt-${name(g)}-t${t + 1}`}
                  />
                ))}
                <Cell v={g.sum} q="grad" precision={precision} testId={`tb-bptt-${name(g)}-sum`} />
              </>
            ) : (
              <Hidden n={layer.steps + 1} why="Step backward to this layer" />
            )}
            {reach.updated ? (
              <Cell v={afterOf(g)} q="weight" precision={precision} />
            ) : (
              <Hidden n={1} why="Apply the update" />
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UnrolledWalk({
  trace,
  rows,
  inputs,
  step,
  precision,
}: {
  trace: TraceResponse;
  rows: Rows;
  /** the traced inputs, [N][T][F] */
  inputs: unknown;
  step: StepState;
  precision: Precision;
}) {
  const unrolled = trace.layers
    .map((l, index) => ({ index, layer: unrollLayer(l, inputs, step.example) }))
    .filter((u): u is { index: number; layer: UnrolledLayer } => u.layer !== null);
  const steps = unrolled[0]?.layer.steps ?? 0;
  return (
    <div className="tb-body recurrent">
      <section className="tb-left tb-scroll" aria-label="Unrolled in time">
        {unrolled.map(({ index, layer }) => (
          <div key={layer.id}>
            <UnrolledTable layer={layer} index={index} step={step} precision={precision} />
            {layer.gradients.length ? (
              <GradientTable layer={layer} trace={trace} index={index} step={step} precision={precision} />
            ) : null}
          </div>
        ))}
      </section>
      <section className="tb-right narrow" aria-label="Outputs">
        <div className="tb-tabbody">
          <TraceOutputs trace={trace} targets={rows.targets} step={step} precision={precision} />
          <section className="tb-about" data-testid="tb-gradient-counts">
            <h4>Gradient counts (BPTT)</h4>
            <p>
              The loss at step {steps} reaches each weight matrix through every step that used it; the update
              sums them:
            </p>
            <ul>
              {gradientCounts(trace.layers, steps).map((c) => (
                <li key={c.name}>
                  {c.name}: <b>{c.count}</b> gradient{c.count === 1 ? "" : "s"}
                </li>
              ))}
            </ul>
            <p className="muted">α = {formatNumber(trace.learning_rate, "full", "weight")}; h_0 = 0.</p>
          </section>
        </div>
      </section>
    </div>
  );
}
