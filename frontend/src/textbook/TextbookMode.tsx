/**
 * Textbook mode: one iteration of gradient descent on a worked example, every number visible, stepped
 * layer by layer the way the book walks through it. Opens over the editor (same app, same stores);
 * traces a textbook preset or the network in the editor with POST /api/v1/trace.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { BackToEditor } from "../app/BackToEditor";
import { TabBar } from "../app/TabBar";
import { useCatalogStore, useSpecStore, useStores, useTextbook } from "../store/context";
import { ConvWalkthrough } from "./ConvWalkthrough";
import { ErrataNotes } from "./ErrataNotes";
import { bookRoundingBlocker, roundLikeTheBook } from "./logic/bookRounding";
import { errataFor, inSection, type Erratum } from "./logic/errata";
import { PRECISIONS, type Precision } from "./logic/format";
import { buildBookModel, type BookModel } from "./logic/model";
import {
  activeLayer,
  describeStage,
  placeOf,
  step as advance,
  stepAt,
  type StepAction,
  type StepState,
} from "./logic/steps";
import { asSequences, type Rows, type TraceResponse } from "./logic/trace";
import { ParallelWalk } from "./ParallelWalk";
import {
  BATCH_WALK,
  MAX_STEPS,
  optimizerName,
  steppingOptimizer,
  type UpdateRule,
  type Walk,
} from "./logic/updateRule";
import { AllErrata } from "./AllErrata";
import { isRecurrentKind } from "../spec/types";
import { isRecurrentTrace } from "./logic/unrolled";
import { UnrolledWalk } from "./UnrolledWalk";
import { LayerCards } from "./LayerCards";
import { needsLayerCards } from "./logic/layerCards";
import { VECTOR_WALKS, vectorWalk } from "./logic/lstmWalks";
import { VectorWalkView } from "./VectorWalkView";
import { NetworkDiagram } from "./NetworkDiagram";
import { StepControls } from "./StepControls";
import type { TextbookSource } from "./store";
import {
  TraceOutputs,
  MatrixView,
  NeuronInspector,
  NeuronTable,
  OptimizerTable,
  OutputTable,
  WeightTable,
} from "./Tables";
import { useSize } from "./useSize";
import { useTraceData } from "./useTraceData";
import "./textbook.css";

type Tab = "outputs" | "neurons" | "weights" | "errata";
type WeightView = "list" | "matrix";

const KEYS: Record<string, StepAction> = {
  f: "forward",
  b: "backward",
  u: "update",
  ArrowRight: "nextExample",
  ArrowLeft: "prevExample",
  Home: "reset",
  Backspace: "undo",
};

function useStepKeys(onStep: (a: StepAction) => void, onClose: () => void) {
  useEffect(() => {
    const handler = (ev: KeyboardEvent) => {
      // Textbook mode is modal: the editor's shortcuts (space = play, r = reset, …) listen on window
      // and must not act behind it, so every key stops at the document (after the dialog's own
      // handlers have run); the browser's default handling (Tab, Enter on a button) still happens.
      ev.stopPropagation();
      const target = ev.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === "Escape") {
        onClose();
        return;
      }
      const action = KEYS[ev.key] ?? KEYS[ev.key.toLowerCase()];
      if (action) {
        ev.preventDefault();
        onStep(action);
      }
    };
    document.addEventListener("keydown", handler);
    return () => document.removeEventListener("keydown", handler);
  }, [onStep, onClose]);
}

function Segmented<T extends string>({
  value,
  options,
  onChange,
  label,
  testId,
}: {
  value: T;
  options: { id: T; label: string; title?: string }[];
  onChange: (v: T) => void;
  label: string;
  testId: string;
}) {
  return (
    <span className="tb-seg" role="radiogroup" aria-label={label}>
      <span className="tb-seg-label">{label}</span>
      {options.map((o) => (
        <button
          key={o.id}
          role="radio"
          aria-checked={value === o.id}
          className={value === o.id ? "on" : undefined}
          onClick={() => onChange(o.id)}
          title={o.title}
          data-testid={`${testId}-${o.id}`}
        >
          {o.label}
        </button>
      ))}
    </span>
  );
}

interface BodyProps {
  trace: TraceResponse;
  rows: Rows;
  errata: Erratum[];
  about: string;
  precision: Precision;
  weightView: WeightView;
  bookRounding: boolean;
  onClose: () => void;
}

function DenseBody({
  model,
  step,
  precision,
  weightView,
  errata,
  about,
}: {
  model: BookModel;
  step: StepState;
  precision: Precision;
  weightView: WeightView;
  errata: Erratum[];
  about: string;
}) {
  const [tab, setTab] = useState<Tab>("outputs");
  const [picked, setPicked] = useState<{ neuron: number; stage: StepState["stage"] } | null>(null);
  const active = activeLayer(step);
  const outputNeuron = model.layers[model.layers.length - 1]!.neurons[0]!;
  // The inspector follows the layer being stepped unless a neuron was clicked at this stage.
  const followed = active !== null ? model.layers[active]!.neurons[0]! : outputNeuron;
  const selected = picked && picked.stage === step.stage ? picked.neuron : followed;
  const tabs: { id: Tab; label: string }[] = [
    { id: "outputs", label: "Outputs" },
    { id: "neurons", label: "Neurons" },
    { id: "weights", label: weightView === "matrix" ? "Weights (matrix)" : "Weights" },
    { id: "errata", label: `Notes & errata (${errata.length})` },
  ];
  return (
    <div className="tb-body">
      <section className="tb-left" aria-label="Network">
        <NetworkDiagram
          model={model}
          step={step}
          precision={precision}
          selected={selected}
          onSelect={(neuron) => setPicked({ neuron, stage: step.stage })}
        />
        <div className="tb-inspector-wrap">
          <NeuronInspector model={model} step={step} precision={precision} neuron={selected} />
        </div>
      </section>
      <section className="tb-right" aria-label="Tables">
        <TabBar
          tabs={tabs}
          current={tab}
          onSelect={setTab}
          className="tb-tabs"
          tabClass={(selected) => (selected ? "on" : undefined)}
          testIdPrefix="tb-tab-"
        />
        <div className="tb-tabbody" role="tabpanel">
          {tab === "outputs" ? (
            <>
              <OutputTable model={model} step={step} precision={precision} />
              <OutputTable model={model} step={step} precision={precision} after />
              <ErrataNotes items={inSection(errata, "outputs")} />
            </>
          ) : null}
          {tab === "neurons" ? (
            <>
              <NeuronTable model={model} step={step} precision={precision} />
              <ErrataNotes items={inSection(errata, "neurons")} />
            </>
          ) : null}
          {tab === "weights" ? (
            <>
              <OptimizerTable model={model} step={step} precision={precision} />
              {weightView === "matrix" ? (
                <MatrixView model={model} step={step} precision={precision} />
              ) : (
                <WeightTable model={model} step={step} precision={precision} />
              )}
              <ErrataNotes items={inSection(errata, "weights")} />
            </>
          ) : null}
          {tab === "errata" ? (
            <>
              <About text={about} />
              {errata.length ? (
                <ErrataNotes items={errata} title="Errata for this example" />
              ) : (
                <p className="muted">No errata are recorded for this example.</p>
              )}
            </>
          ) : null}
        </div>
      </section>
    </div>
  );
}

function ConvBody({
  trace,
  rows,
  step,
  precision,
  errata,
  about,
}: {
  trace: TraceResponse;
  rows: Rows;
  step: StepState;
  precision: Precision;
  errata: Erratum[];
  about: string;
}) {
  const ref = useRef<HTMLElement>(null);
  const { width } = useSize(ref, { width: 900, height: 500 });
  return (
    <div className="tb-body conv">
      <section className="tb-left" aria-label="Convolution walk-through" ref={ref}>
        <ConvWalkthrough trace={trace} step={step} precision={precision} width={width} />
      </section>
      <section className="tb-right narrow" aria-label="Outputs">
        <div className="tb-tabbody">
          <ErrataNotes items={errata} />
          <TraceOutputs trace={trace} targets={rows.targets} step={step} precision={precision} />
          <About text={about} />
        </div>
      </section>
    </div>
  );
}

/** The traced examples as the sequences the recurrent layer read: T from its h, F from the rows. */
function sequencesOf(trace: TraceResponse, rows: Rows): number[][][] {
  const layer = trace.layers.find((l) => isRecurrentKind(l.kind));
  const h = (layer?.h ?? layer?.a) as unknown[][] | undefined;
  const steps = Array.isArray(h?.[0]) ? h[0].length : 1;
  const features = Math.max(1, Math.round((rows.inputs[0]?.length ?? steps) / steps));
  return asSequences(rows.inputs, [steps, features]);
}

function About({ text }: { text: string }) {
  if (!text) return null;
  return (
    <section className="tb-about">
      <h4>About this example</h4>
      <p>{text}</p>
    </section>
  );
}

function ParallelToggle({
  workers,
  on,
  onChange,
}: {
  workers: number;
  on: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <Segmented
      label="Walk"
      value={on ? "parallel" : "backprop"}
      options={[
        { id: "backprop", label: "Backprop", title: "The step node by node, as one worker computes it" },
        {
          id: "parallel",
          label: `Data parallel (${workers} workers)`,
          title:
            "The same step split across the workers: each shard's gradient, their all-reduce, one worker's",
        },
      ]}
      onChange={(v) => onChange(v === "parallel")}
      testId="tb-walk-kind"
    />
  );
}

function Body({ trace, rows, errata, about, precision, weightView, bookRounding, onClose }: BodyProps) {
  // The walk lives in the textbook store (and from there in the URL), so a shared link reopens here.
  const nLayers = trace.layers.length;
  const nExamples = rows.inputs.length;
  const { textbook } = useStores();
  const place = useTextbook((s) => s.place);
  const step = useMemo(() => stepAt(place, nLayers, nExamples), [place, nLayers, nExamples]);
  const onStep = useCallback(
    (a: StepAction) => {
      const store = textbook.getState();
      store.setPlace(placeOf(advance(stepAt(store.place, nLayers, nExamples), a)));
    },
    [textbook, nLayers, nExamples],
  );
  useStepKeys(onStep, onClose);
  const base = useMemo(() => buildBookModel(trace, rows), [trace, rows]);
  const model = useMemo(
    () => (base && bookRounding && !bookRoundingBlocker(base) ? roundLikeTheBook(base) : base),
    [base, bookRounding],
  );
  const names = trace.layers.map((l) => l.id);
  const kinds = trace.layers.map((l) => l.kind);
  const [showParallel, setShowParallel] = useState(false);
  if (trace.parallel && showParallel) {
    return (
      <>
        <div className="tb-stepbar">
          <ParallelToggle workers={trace.parallel.workers} on={showParallel} onChange={setShowParallel} />
        </div>
        <ParallelWalk walk={trace.parallel} />
      </>
    );
  }
  return (
    <>
      <div className="tb-stepbar">
        {trace.parallel ? (
          <ParallelToggle workers={trace.parallel.workers} on={showParallel} onChange={setShowParallel} />
        ) : null}
        <StepControls step={step} onStep={onStep} />
        <p className="tb-status" role="status" data-testid="tb-status">
          {describeStage(
            step,
            names,
            kinds,
            trace.step_optimizer
              ? `${optimizerName(trace.step_optimizer)} step t = ${(trace.optimizer_t ?? 0) + 1}`
              : undefined,
          )}
        </p>
      </div>
      {isRecurrentTrace(trace.layers) ? (
        <UnrolledWalk
          trace={trace}
          rows={rows}
          inputs={sequencesOf(trace, rows)}
          step={step}
          precision={precision}
        />
      ) : needsLayerCards(trace.layers) ? (
        <LayerCards trace={trace} rows={rows} step={step} precision={precision} />
      ) : model ? (
        <DenseBody
          model={model}
          step={step}
          precision={precision}
          weightView={weightView}
          errata={errata}
          about={about}
        />
      ) : (
        <ConvBody trace={trace} rows={rows} step={step} precision={precision} errata={errata} about={about} />
      )}
    </>
  );
}

export function TextbookMode() {
  const { api, specs, textbook } = useStores();
  const source = useTextbook((s) => s.source);
  const close = useTextbook((s) => s.close);
  const presets = useCatalogStore((s) => s.presets);
  const editorTitle = useSpecStore((s) => s.title);
  const [reload, setReload] = useState(0);
  // Focus moves into the dialog when it opens, so the keyboard steps at once.
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), []);
  const editorSpec = useCallback(() => specs.getState().spec(), [specs]);
  const [walk, setWalk] = useState<Walk>(BATCH_WALK);
  const [showErrata, setShowErrata] = useState(false);
  const data = useTraceData(api, source, editorSpec, editorTitle, reload, walk);
  const given = source.kind === "preset" ? vectorWalk(source.id) : null;
  const stepping = steppingOptimizer(data.spec?.training?.optimizer);
  const examples = data.allRows?.inputs.length ?? 0;
  // Another worked example starts again from the book's step over the whole batch.
  useEffect(() => setWalk(BATCH_WALK), [data.key]);
  const [precision, setPrecision] = useState<Precision>("book");
  const [weightView, setWeightView] = useState<WeightView>("list");
  const [bookRounding, setBookRounding] = useState(false);
  const textbookPresets = presets.filter((p) => p.mode === "textbook");
  const sourceKey = source.kind === "preset" ? source.id : "";
  const errata = useMemo(() => errataFor(data.errata, data.presetId), [data.errata, data.presetId]);
  const denseBase = useMemo(
    () => (data.trace && data.rows ? buildBookModel(data.trace, data.rows) : null),
    [data.trace, data.rows],
  );
  const roundingBlocker = denseBase
    ? bookRoundingBlocker(denseBase)
    : "Book rounding applies to dense networks (the power-plant tables).";

  const choose = (value: string) => {
    const next: TextbookSource = value ? { kind: "preset", id: value } : { kind: "editor" };
    textbook.getState().openTextbook(next);
  };

  return (
    <div
      className="textbook-mode"
      role="dialog"
      aria-modal="true"
      aria-label="Textbook mode"
      data-testid="textbook-mode"
      tabIndex={-1}
      ref={dialog}
    >
      <header className="tb-header">
        <h2 className="tb-brand">
          Glassnet <span className="tb-mode-name">Textbook</span>
        </h2>
        <label className="tb-source">
          <span className="sr-only">Worked example</span>
          <select value={sourceKey} onChange={(e) => choose(e.target.value)} data-testid="tb-source">
            <option value="">Network in the editor</option>
            {textbookPresets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title || p.id}
              </option>
            ))}
            <optgroup label="LSTM lecture (given vectors)">
              {VECTOR_WALKS.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.title}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <Segmented
          label="Digits"
          value={precision}
          options={PRECISIONS}
          onChange={setPrecision}
          testId="tb-precision"
        />
        <Segmented
          label="Weights"
          value={weightView}
          options={[
            {
              id: "list",
              label: "wᵢ,ₖ list",
              title: "Book numbering: w_{i,k} is the weight into neuron i from neuron k; k = 0 is the bias",
            },
            {
              id: "matrix",
              label: "Matrix",
              title: "Rows = neurons, bias in column 0, then the previous layer's neurons",
            },
          ]}
          onChange={setWeightView}
          testId="tb-weights"
        />
        <label
          className={`tb-check${roundingBlocker ? " disabled" : ""}`}
          title={
            roundingBlocker ??
            "Recompute as the book does: a, ∂a/∂z and δ rounded to 4 decimals before they are reused"
          }
        >
          <input
            type="checkbox"
            checked={bookRounding && !roundingBlocker}
            disabled={roundingBlocker !== null}
            onChange={(e) => setBookRounding(e.target.checked)}
            data-testid="tb-book-rounding"
          />
          Book rounding
        </label>
        <button
          className={`tb-errata-toggle${showErrata ? " on" : ""}`}
          onClick={() => setShowErrata((v) => !v)}
          aria-pressed={showErrata}
          data-testid="tb-all-errata"
          title="Every place the three lectures' slides print a wrong number, with the corrected value"
        >
          Errata ({data.errata.length})
        </button>
        <BackToEditor onClose={close} className="tb-close" testId="tb-close" />
      </header>
      <div className="tb-titlebar">
        <div className="tb-titletext">
          <h3 data-testid="tb-title">{data.title}</h3>
          {data.description ? <p className="tb-description">{data.description}</p> : null}
          <p className="tb-rounding-note" data-testid="tb-rounding-note">
            {!data.trace
              ? ""
              : needsLayerCards(data.trace.layers)
                ? "Exact float64 values, node by node: each card fills in as the walk steps forward, back and through the update."
                : isRecurrentTrace(data.trace.layers)
                  ? "Exact float64 values: the recurrent layer unrolled over its steps, h₀ = 0, with backpropagation through time."
                  : !denseBase
                    ? "Exact float64 values (the lecture's convolution examples are integer arithmetic)."
                    : bookRounding && !roundingBlocker
                      ? "Book rounding on: a, ∂a/∂z and δ are rounded to 4 decimals before reuse, as in the book's hand-worked tables; these are the printed numbers."
                      : "Exact float64 values. The book rounds a, ∂a/∂z and δ to 4 decimals before reusing them, so its z, Δw and SSE differ from these in the 5th–6th significant digit (turn on Book rounding to see its numbers)."}
            {data.rows?.of
              ? ` Tracing the first ${data.rows.inputs.length} of ${data.rows.of} training examples.`
              : ""}
            {walk.example !== null && examples > 1
              ? ` A stochastic update: example d${walk.example + 1} alone (shown as d1), not the batch of ${examples}.`
              : ""}
            {data.trace
              ? ` Loss ${data.trace.loss_function === "half_sse" ? "½·SSE" : data.trace.loss_function}, gradients ${data.trace.reduction === "sum" ? "summed" : "averaged"} over the batch, ${data.trace.step_optimizer ? `${optimizerName(data.trace.step_optimizer)} step t = ${(data.trace.optimizer_t ?? 0) + 1}` : "plain gradient descent"}, α = ${data.trace.learning_rate}.`
              : ""}
            {data.retracing ? <span className="tb-retracing"> Tracing the new step…</span> : null}
          </p>
        </div>
        {stepping || examples > 1 ? (
          <div className="tb-walk" role="group" aria-label="What the step traces">
            {stepping ? (
              <Segmented<UpdateRule>
                label="Update"
                value={walk.rule}
                options={[
                  { id: "gd", label: "GD", title: "The book's step: w ← w − α·Δw" },
                  {
                    id: "optimizer",
                    label: optimizerName(stepping),
                    title: `One ${optimizerName(stepping)} step (the spec's optimiser) from zero state, its state beside each weight`,
                  },
                ]}
                onChange={(rule) => setWalk((w) => ({ ...w, rule, step: 1 }))}
                testId="tb-rule"
              />
            ) : null}
            {stepping && walk.rule === "optimizer" ? (
              <label
                className="tb-source"
                title="Each step starts from the weights and optimiser state the one before left"
              >
                <span className="tb-seg-label">step</span>
                <select
                  value={walk.step}
                  onChange={(e) => setWalk((w) => ({ ...w, step: Number(e.target.value) }))}
                  data-testid="tb-optimizer-step"
                >
                  {Array.from({ length: MAX_STEPS }, (_, i) => (
                    <option key={i} value={i + 1}>
                      t = {i + 1}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {examples > 1 ? (
              <label
                className="tb-source"
                title="Full batch: Δw sums every example; one example: a stochastic (SGD) update"
              >
                <span className="tb-seg-label">Examples</span>
                <select
                  value={walk.example ?? ""}
                  onChange={(e) =>
                    setWalk((w) => ({ ...w, example: e.target.value === "" ? null : Number(e.target.value) }))
                  }
                  data-testid="tb-examples"
                >
                  <option value="">all {examples} (batch)</option>
                  {Array.from({ length: examples }, (_, i) => (
                    <option key={i} value={i}>
                      d{i + 1} only (stochastic)
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
        ) : null}
      </div>
      {showErrata ? (
        <AllErrata
          errata={data.errata}
          onOpen={(id) => {
            setShowErrata(false);
            choose(id);
          }}
          canOpen={(id) => textbookPresets.some((p) => p.id === id)}
        />
      ) : null}
      {given && !showErrata ? <VectorWalkView key={given.id} walk={given} precision={precision} /> : null}
      {data.status === "loading" && !showErrata && !given ? (
        <p className="tb-loading">Tracing one iteration…</p>
      ) : null}
      {data.status === "error" && !given ? (
        <div className="tb-error" role="alert" data-testid="tb-error">
          <p>
            ⚠ {data.error}{" "}
            <button onClick={() => setReload((r) => r + 1)} className="link">
              Try again
            </button>
          </p>
          {textbookPresets.length ? (
            <ul className="tb-pick">
              {textbookPresets.map((p) => (
                <li key={p.id}>
                  <button onClick={() => choose(p.id)}>{p.title || p.id}</button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {data.status === "ready" && data.trace && data.rows && !showErrata && !given ? (
        <Body
          key={`${data.presetId ?? "editor"}-${reload}`}
          trace={data.trace}
          rows={data.rows}
          errata={errata}
          about={data.description}
          precision={precision}
          weightView={weightView}
          bookRounding={bookRounding}
          onClose={close}
        />
      ) : null}
    </div>
  );
}
