/**
 * Textbook mode for networks with batch norm, activation nodes, dropout or residual adds: one card per
 * traced node, its per-example quantities revealed as the walk steps forward, back and through the
 * update (batch norm's μ, σ², x̂, γ and β; the dropout mask; δ reaching both inputs of an add).
 */
import { formatNumber, type Precision } from "./logic/format";
import { denseWeights, layerCard, type CardRow } from "./logic/layerCards";
import { reached, type StepState } from "./logic/steps";
import type { Rows, TraceResponse } from "./logic/trace";
import { Cell, Hidden } from "./TableCells";
import { TraceOutputs } from "./Tables";

function quantity(row: CardRow) {
  return row.phase === "backward"
    ? ("delta" as const)
    : row.key === "x_hat" || row.key === "z"
      ? ("z" as const)
      : ("a" as const);
}

function Card({
  trace,
  index,
  step,
  precision,
  examples,
}: {
  trace: TraceResponse;
  index: number;
  step: StepState;
  precision: Precision;
  examples: number;
}) {
  const layer = trace.layers[index]!;
  const card = layerCard(layer);
  const reach = reached(step, index);
  const weights = denseWeights(layer);
  const open = (row: CardRow) =>
    row.phase === "forward" ? reach.forward : row.phase === "backward" ? reach.backward : reach.updated;
  return (
    <section className="tb-card" data-testid={`tb-card-${card.id}`}>
      <table className="tb-table">
        <caption>
          {card.id}: {card.title}
        </caption>
        <thead>
          <tr>
            <th scope="col" />
            {Array.from({ length: examples }, (_, e) => (
              <th key={e} scope="col" className={e === step.example ? "current" : undefined}>
                d{e + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {card.rows.map((row) => (
            <tr key={`${row.key}-${row.feature}`}>
              <th scope="row">{row.label}</th>
              {!open(row) ? (
                <Hidden
                  n={row.batch ? 1 : examples}
                  why={row.phase === "updated" ? "Apply the update" : `Step ${row.phase} to this layer`}
                />
              ) : row.batch ? (
                <td
                  className="num tb-batch"
                  colSpan={examples}
                  data-testid={`tb-card-${card.id}-${row.key}-${row.feature + 1}`}
                  title="one value for the whole batch"
                >
                  {formatNumber(row.values[0], precision, quantity(row))}
                </td>
              ) : (
                row.values.map((v, e) => (
                  <Cell
                    key={e}
                    v={v}
                    q={quantity(row)}
                    precision={precision}
                    current={e === step.example}
                    testId={`tb-card-${card.id}-${row.key}-${row.feature + 1}-d${e + 1}`}
                  />
                ))
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {weights.length ? (
        <table className="tb-table">
          <caption>{card.id}: weights, their batch gradient and the step w ← w − α·∂E/∂w</caption>
          <thead>
            <tr>
              <th scope="col">w</th>
              <th scope="col">before</th>
              <th scope="col">∂E/∂w</th>
              <th scope="col">after</th>
            </tr>
          </thead>
          <tbody>
            {weights.map(([name, before, grad, after]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <Cell v={before} q="weight" precision={precision} />
                {reach.backward ? (
                  <Cell v={grad} q="grad" precision={precision} />
                ) : (
                  <Hidden n={1} why="Step backward to this layer" />
                )}
                {reach.updated ? (
                  <Cell v={after} q="weight" precision={precision} />
                ) : (
                  <Hidden n={1} why="Apply the update" />
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function LayerCards({
  trace,
  rows,
  step,
  precision,
}: {
  trace: TraceResponse;
  rows: Rows;
  step: StepState;
  precision: Precision;
}) {
  return (
    <div className="tb-body cards">
      <section className="tb-left tb-scroll" aria-label="Layers">
        {trace.layers.map((l, i) => (
          <Card
            key={l.id}
            trace={trace}
            index={i}
            step={step}
            precision={precision}
            examples={rows.inputs.length}
          />
        ))}
      </section>
      <section className="tb-right narrow" aria-label="Outputs">
        <div className="tb-tabbody">
          <TraceOutputs trace={trace} targets={rows.targets} step={step} precision={precision} />
        </div>
      </section>
    </div>
  );
}
