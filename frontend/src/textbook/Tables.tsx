/**
 * The book's tables, live: Table 4 (targets, predictions, errors, ∂E/∂a, Error², SSE), Tables 5–6
 * (z, a, ∂a/∂z, δ per neuron and example), Tables 7–8 (each weight's per-example gradient, the
 * batch-summed Δw, the optimiser's state when the step is not plain gradient descent, and the weight
 * after the step) and the same weights as the book's matrices.
 */
import type { ReactNode } from "react";
import { formatNumber, type Precision, type BookQuantity } from "./logic/format";
import { exampleLabel, neuronRows, outputRows, weightRows, type BookModel } from "./logic/model";
import { bookMatrix, matrixColumns, weightName } from "./logic/numbering";
import { outputKnown, reached, type StepState } from "./logic/steps";
import { optimizerName, STATE_HEADS, stepOrigin, updateFormula } from "./logic/updateRule";
import { matrix, type Rows, type TraceResponse } from "./logic/trace";
import {
  BookTable,
  Cell,
  CellOr,
  ExampleCells,
  ExampleHeads,
  Hidden,
  NEEDS_BACKWARD,
  NEEDS_UPDATE,
  WeightHead,
  type Num,
} from "./TableCells";

interface TableProps {
  model: BookModel;
  step: StepState;
  precision: Precision;
}

function lossName(model: BookModel): string {
  if (model.lossFunction === "half_sse") return "SSE = ½ Σ (t − a)²";
  if (model.lossFunction === "cross_entropy") return `Cross-entropy (${model.reduction})`;
  return `${model.lossFunction} (${model.reduction})`;
}

/** Table 4 (and Table 8 with `after`): one block of rows per output neuron. */
export function OutputTable({ model, step, precision, after = false }: TableProps & { after?: boolean }) {
  const n = model.inputs.length;
  const known = after ? step.stage.kind === "updated" : outputKnown(step);
  const rows = outputRows(model, after);
  const multi = rows.length > 1;
  const sse = model.lossFunction === "half_sse";
  const pending = after ? "Apply the update first" : "Step forward through every layer first";
  const loss = after ? model.lossAfter : model.loss;
  const body: ReactNode[] = [];
  rows.forEach((r) => {
    // Several outputs: the book's symbols with the neuron number (t₈, a₈, …) keep the table narrow.
    const sub = String(r.neuron).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]!);
    const rowName = (words: string, symbol: string) => (multi ? symbol.replaceAll("#", sub) : words);
    const line = (label: string, values: Num[], q: BookQuantity, id?: string) => (
      <tr key={`${label}-${r.neuron}`}>
        <th scope="row">{label}</th>
        {known ? (
          <ExampleCells
            values={values}
            q={q}
            precision={precision}
            current={step.example}
            testId={id ? (e) => `${id}-${r.neuron}-d${e + 1}` : undefined}
          />
        ) : (
          <Hidden n={n} why={pending} />
        )}
      </tr>
    );
    body.push(
      <tr key={`t-${r.neuron}`}>
        <th scope="row">{rowName("Target", "t#")}</th>
        {r.target.map((v, e) => (
          <Cell key={e} v={v} q="target" precision={precision} current={e === step.example} />
        ))}
      </tr>,
      line(rowName("Prediction", "a#"), r.prediction, "a", after ? "tb-pred-after" : "tb-pred"),
      line(rowName("Error (t − a)", "t# − a#"), r.error, "error"),
      line(rowName(`∂E/∂a${sub}`, "∂E/∂a#"), r.dE_da, "dE_da"),
    );
    if (sse) body.push(line(rowName("Error²", "(t# − a#)²"), r.error2, "error2"));
  });
  if (!sse && known)
    body.push(
      <tr key="pel">
        <th scope="row">E per example</th>
        {(after ? [] : model.perExampleLoss).map((v, e) => (
          <Cell key={e} v={v} q="z" precision={precision} current={e === step.example} />
        ))}
        {after ? <Hidden n={n} why="per-example loss after the step is not traced" /> : null}
      </tr>,
    );
  return (
    <BookTable
      testId={after ? "tb-table-after" : "tb-table-outputs"}
      caption={after ? "After the update (Table 8)" : "First forward pass (Table 4)"}
      heads={
        <>
          <th scope="col" />
          <ExampleHeads n={n} current={step.example} />
        </>
      }
    >
      {body}
      <tr className="total">
        <th scope="row">{sse ? "SSE" : "E"}</th>
        <td colSpan={n} className="num total-value" title={lossName(model)}>
          <span className="muted small">{lossName(model)} = </span>
          <span data-testid={after ? "tb-loss-after" : "tb-loss"}>
            {known ? formatNumber(loss, precision, "loss") : "·"}
          </span>
        </td>
      </tr>
    </BookTable>
  );
}

/** Tables 5–6: z, a, ∂a/∂z and δ of every neuron for every example. */
export function NeuronTable({ model, step, precision }: TableProps) {
  const n = model.inputs.length;
  const rows = neuronRows(model);
  const quantities: {
    key: "z" | "a" | "da_dz" | "delta";
    label: string;
    q: BookQuantity;
    backward: boolean;
  }[] = [
    { key: "z", label: "z", q: "z", backward: false },
    { key: "a", label: "a", q: "a", backward: false },
    { key: "da_dz", label: "∂a/∂z", q: "da_dz", backward: true },
    { key: "delta", label: "δ", q: "delta", backward: true },
  ];
  return (
    <BookTable
      testId="tb-table-neurons"
      caption="Neurons: forward and backward pass (Tables 5–6)"
      heads={
        <>
          <th scope="col">Neuron</th>
          <th scope="col" />
          <ExampleHeads n={n} current={step.example} />
        </>
      }
    >
      {rows.map((r) => {
        const reach = reached(step, r.layer);
        return quantities.map((qq, qi) => {
          const shown = qq.backward ? reach.backward : reach.forward;
          return (
            <tr key={`${r.neuron}-${qq.key}`} className={qi === 0 ? "group-start" : undefined}>
              {qi === 0 ? (
                <th scope="rowgroup" rowSpan={4} className="neuron-head">
                  {r.neuron}
                  <span className="muted small"> {r.layerId}</span>
                </th>
              ) : null}
              <th scope="row" className={qq.backward ? "bwd" : "fwd"}>
                {qq.label}
              </th>
              {shown ? (
                <ExampleCells
                  values={r[qq.key]}
                  q={qq.q}
                  precision={precision}
                  current={step.example}
                  testId={(e) => `tb-cell-${qq.key}-${r.neuron}-d${e + 1}`}
                />
              ) : (
                <Hidden n={n} why={qq.backward ? NEEDS_BACKWARD : "Step forward to this layer"} />
              )}
            </tr>
          );
        });
      })}
    </BookTable>
  );
}

/** Tables 7–8: per-weight gradients per example, Δw = Σ, w before and after (α from the trace). */
export function WeightTable({ model, step, precision }: TableProps) {
  const n = model.inputs.length;
  const rows = weightRows(model);
  return (
    <BookTable
      testId="tb-table-weights"
      caption={
        <>
          Weights: ∂E/∂w<sub>i,k</sub> = δ<sub>i</sub>·a<sub>k</sub> per example, Δw = Σ over the batch,{" "}
          {model.optimizer ? (
            <>then one {optimizerName(model.optimizer)} step (the table above)</>
          ) : (
            <>w ← w − α·Δw with α = {model.learningRate} (Tables 6–8)</>
          )}
        </>
      }
      heads={
        <>
          <th scope="col">w</th>
          <th scope="col">before</th>
          <ExampleHeads n={n} current={step.example} />
          <th scope="col">Δw (Σ)</th>
          <th scope="col">after</th>
        </>
      }
    >
      {rows.map((r) => {
        const reach = reached(step, r.layer);
        const w = weightName(r.i, r.k);
        return (
          <tr key={r.name}>
            <WeightHead i={r.i} k={r.k} />
            <Cell v={r.before} q="weight" precision={precision} />
            {reach.backward ? (
              <ExampleCells
                values={r.perExample}
                q="grad"
                precision={precision}
                current={step.example}
                testId={(e) => `tb-grad-${w}-d${e + 1}`}
              />
            ) : (
              <Hidden n={n} why={NEEDS_BACKWARD} />
            )}
            <CellOr
              shown={reach.backward}
              why={NEEDS_BACKWARD}
              v={r.sum}
              q="grad"
              precision={precision}
              testId={`tb-dw-${w}`}
            />
            <CellOr
              shown={reach.updated}
              why={NEEDS_UPDATE}
              v={r.after}
              q="weight"
              precision={precision}
              testId={`tb-after-${w}`}
            />
          </tr>
        );
      })}
    </BookTable>
  );
}

/**
 * The optimiser's step, weight by weight: the batch gradient g = Δw it was given, the state it keeps
 * after the step (velocity; Σg²; E[g²]; m, v, m̂, v̂) and the weight it writes.
 */
export function OptimizerTable({ model, step, precision }: TableProps) {
  const optimizer = model.optimizer;
  if (!optimizer) return null;
  const states = model.stateNames;
  return (
    <BookTable
      testId="tb-table-optimizer"
      caption={
        <>
          {optimizerName(optimizer)} step t = {model.optimizerStep}
          {stepOrigin(model.optimizerStep)}, g = Δw:{" "}
          <span data-testid="tb-update-formula">{updateFormula(optimizer)}</span>
        </>
      }
      heads={
        <>
          <th scope="col">w</th>
          <th scope="col">before</th>
          <th scope="col">g = Δw</th>
          {states.map((name) => (
            <th scope="col" key={name} className="tb-state-head" title={`state ${name} after the step`}>
              {STATE_HEADS[name]}
            </th>
          ))}
          <th scope="col">after</th>
        </>
      }
    >
      {weightRows(model).map((r) => {
        const reach = reached(step, r.layer);
        return (
          <tr key={r.name}>
            <WeightHead i={r.i} k={r.k} />
            <Cell v={r.before} q="weight" precision={precision} />
            <CellOr shown={reach.backward} why={NEEDS_BACKWARD} v={r.sum} q="grad" precision={precision} />
            {reach.updated ? (
              <>
                {states.map((name) => (
                  <Cell
                    key={name}
                    v={r.state[name] ?? null}
                    q="grad"
                    precision={precision}
                    testId={`tb-state-${name}-${weightName(r.i, r.k)}`}
                  />
                ))}
                <Cell v={r.after} q="weight" precision={precision} />
              </>
            ) : (
              <Hidden n={states.length + 1} why={NEEDS_UPDATE} />
            )}
          </tr>
        );
      })}
    </BookTable>
  );
}

function Matrix({
  title,
  rows,
  columns,
  neurons,
  q,
  precision,
  tone,
}: {
  title: string;
  rows: Num[][];
  columns: number[];
  neurons: number[];
  q: BookQuantity;
  precision: Precision;
  tone?: string;
}) {
  return (
    <BookTable
      className={`tb-table tb-matrix ${tone ?? ""}`}
      caption={title}
      heads={
        <>
          <th scope="col">i \ k</th>
          {columns.map((k) => (
            <th key={k} scope="col">
              {k === 0 ? "0 (bias)" : k}
            </th>
          ))}
        </>
      }
    >
      {rows.map((r, ri) => (
        <tr key={ri}>
          <th scope="row">{neurons[ri]}</th>
          {r.map((v, ci) => (
            <Cell key={ci} v={v} q={q} precision={precision} />
          ))}
        </tr>
      ))}
    </BookTable>
  );
}

/** Each layer's W as the book writes it (rows = neurons, bias in column 0): before, Δw, after. */
export function MatrixView({ model, step, precision }: TableProps) {
  return (
    <div className="tb-matrices" data-testid="tb-matrices">
      {model.layers.map((l, li) => {
        const reach = reached(step, li);
        // the same rows, columns and number format for W before, Δw and W after
        const shared = { columns: matrixColumns(model.numbering, li), neurons: l.neurons, precision };
        return (
          <section key={l.id} className="tb-matrix-row">
            <h4>
              W<sup>({li + 1})</sup> — layer {l.id}, neurons {l.neurons.join(", ")}
            </h4>
            <div className="tb-matrix-set">
              <Matrix title="W before" rows={bookMatrix(l.weights, l.bias)} q="weight" {...shared} />
              {reach.backward ? (
                <Matrix
                  title="Δw = Σ ∂E/∂w"
                  rows={bookMatrix(l.gradWeights, l.gradBias)}
                  q="grad"
                  tone="bwd"
                  {...shared}
                />
              ) : (
                <p className="muted pending-note">Δw appears when the backward step reaches this layer.</p>
              )}
              {reach.updated ? (
                <Matrix
                  title="W after"
                  rows={bookMatrix(l.weightsAfter, l.biasAfter)}
                  q="weight"
                  tone="upd"
                  {...shared}
                />
              ) : null}
            </div>
          </section>
        );
      })}
    </div>
  );
}

/** Table 6 for one neuron and the chosen example: ∂E/∂w_{i,k} = δ_i × a_k for each incoming weight. */
export function NeuronInspector({ model, step, precision, neuron }: TableProps & { neuron: number }) {
  const row = weightRows(model).filter((r) => r.i === neuron);
  if (row.length === 0)
    return (
      <p className="muted tb-inspector-empty">
        Neuron {neuron} is an input: a = x. Click a hidden or output neuron to see its weights.
      </p>
    );
  const e = step.example;
  const back = reached(step, row[0]!.layer).backward;
  const updated = reached(step, row[0]!.layer).updated;
  return (
    <BookTable
      className="tb-table tb-inspector"
      testId="tb-inspector"
      caption={
        <>
          Neuron {neuron}, example {exampleLabel(e)}: ∂E/∂w<sub>{neuron},k</sub> = δ<sub>{neuron}</sub> × a
          <sub>k</sub>
        </>
      }
      heads={
        <>
          <th scope="col">w</th>
          <th scope="col">value</th>
          <th scope="col">
            δ<sub>i</sub>
          </th>
          <th scope="col">
            a<sub>k</sub>
          </th>
          <th scope="col">∂E/∂w</th>
          <th scope="col">Δw (Σ)</th>
          <th scope="col">after</th>
        </>
      }
    >
      {row.map((r) => (
        <tr key={r.name}>
          <WeightHead i={r.i} k={r.k} />
          <Cell v={r.before} q="weight" precision={precision} />
          <CellOr shown={back} why="Step backward" v={r.delta[e]} q="delta" precision={precision} />
          <Cell
            v={r.source[e]}
            q={r.k === 0 ? "weight" : r.layer === 0 ? "input" : "a"}
            precision={precision}
          />
          <CellOr shown={back} why="Step backward" v={r.perExample[e]} q="grad" precision={precision} />
          <CellOr shown={back} why="Step backward" v={r.sum} q="grad" precision={precision} />
          <CellOr shown={updated} why={NEEDS_UPDATE} v={r.after} q="weight" precision={precision} />
        </tr>
      ))}
    </BookTable>
  );
}

/** Many outputs, one example: one row per output neuron (target, prediction, error, ∂E/∂a). */
export function CompactOutputTable({
  outputs,
  targets,
  dE_da,
  loss,
  lossAfter,
  step,
  precision,
  lossLabel,
}: {
  outputs: Num[][];
  targets: number[][];
  dE_da: Num[][];
  loss: Num;
  lossAfter: Num;
  step: StepState;
  precision: Precision;
  lossLabel: string;
}) {
  const e = step.example;
  const known = outputKnown(step);
  const n = outputs[e]?.length ?? 0;
  return (
    <BookTable
      testId="tb-table-outputs"
      caption={
        <>
          Outputs for example {exampleLabel(e)}: {lossLabel} ={" "}
          {known ? formatNumber(loss, precision, "loss", true) : "·"}
          {step.stage.kind === "updated" ? (
            <> → after the update {formatNumber(lossAfter, precision, "loss", true)}</>
          ) : null}
        </>
      }
      heads={
        <>
          <th scope="col">output</th>
          <th scope="col">target</th>
          <th scope="col">prediction</th>
          <th scope="col">t − a</th>
          <th scope="col">∂E/∂a</th>
        </>
      }
    >
      {Array.from({ length: n }, (_, u) => {
        const t = targets[e]?.[u] ?? null;
        const p = outputs[e]?.[u] ?? null;
        return (
          <tr key={u}>
            <th scope="row">{u + 1}</th>
            <Cell v={t} q="target" precision={precision} compact />
            {known ? (
              <>
                <Cell v={p} q="a" precision={precision} compact />
                <Cell v={t === null || p === null ? null : t - p} q="error" precision={precision} compact />
                <Cell v={dE_da[e]?.[u]} q="dE_da" precision={precision} compact />
              </>
            ) : (
              <Hidden n={3} why="Step forward through every layer first" />
            )}
          </tr>
        );
      })}
    </BookTable>
  );
}

/** The traced network's outputs against the targets, with the loss before and after the step. */
export function TraceOutputs({
  trace,
  targets,
  step,
  precision,
}: {
  trace: TraceResponse;
  targets: Rows["targets"];
  step: StepState;
  precision: Precision;
}) {
  const last = trace.layers[trace.layers.length - 1];
  return (
    <CompactOutputTable
      outputs={matrix(trace.outputs)}
      targets={targets}
      dE_da={matrix(last?.dE_da)}
      loss={trace.loss}
      lossAfter={trace.loss_after ?? null}
      step={step}
      precision={precision}
      lossLabel={trace.loss_function === "half_sse" ? "SSE" : "E"}
    />
  );
}
