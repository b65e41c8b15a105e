/**
 * Predictions: what the network answers on the validation split (the training split when there is
 * none), as ConvNetJS shows under its MNIST demo. Classification: the accuracy, a confusion matrix
 * (rows = true class, columns = predicted class, coloured by the row's share) and the split's first
 * 24 examples with their output bars, wrong ones marked. Regression: predicted against true values and
 * the first examples' errors. The frame's `predictions` are refreshed once an epoch; the examples'
 * inputs come once per run and split from GET /runs/{id}/examples.
 */
import { memo, useCallback, useEffect, useRef, useState } from "react";
import type { ViewProps } from "../../app/viewTypes";
import { drawGreyImage } from "../../charts/greyImage";
import type { RunExamples } from "../../net/api";
import { useStores } from "../../store/context";
import type { FrameLike } from "../logic/frame";
import { fmtNum } from "../../charts/format";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import {
  accuracy,
  accuracyText,
  barValue,
  cellColour,
  classLabel,
  columnLabel,
  explainCell,
  imageOf,
  inputRows,
  inputSummary,
  outputBars,
  plural,
  readPredictions,
  regressionSummary,
  rowFractions,
  samePredictions,
  splitLine,
  tableInputs,
  targetColumnCount,
  type InputRows,
  type ExampleReading,
  type PredictionsData,
  type Split,
  type TableInputs,
} from "./model";
import { ScatterPainter } from "./scatterPlot";
import { SequencePredictions } from "../recurrent/SequencePredictions";
import "./predictions.css";
import { ViewToolbar, LiveView } from "../ViewChrome";

/** Examples shown (and fetched): the frame carries the outputs of the split's first 24. */
const SHOWN = 24;

type Cell = readonly [number, number];

interface Examples {
  key: string;
  data: RunExamples | null;
  error: string | null;
}

/** The inputs behind the frame's examples, fetched once per run and split, and only while shown. */
function useRunExamples(run: string | null, split: Split | null, visible: boolean): Examples {
  const { api } = useStores();
  const key = run && split ? `${run}|${split}` : "";
  const [state, setState] = useState<Examples>({ key: "", data: null, error: null });
  const loaded = state.key;
  useEffect(() => {
    if (!visible || !run || !split || loaded === key) return;
    let alive = true;
    api
      .examples(run, split, SHOWN)
      .then((data) => {
        if (alive) setState({ key, data, error: null });
      })
      .catch((e: unknown) => {
        if (alive) setState({ key, data: null, error: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      alive = false;
    };
  }, [api, run, split, key, visible, loaded]);
  return state.key === key ? state : { key, data: null, error: null };
}

// --- classification ----------------------------------------------------------------------

function ConfusionMatrix({
  pred,
  active,
  pinned,
  onHover,
  onPin,
}: {
  pred: PredictionsData;
  active: Cell | null;
  pinned: Cell | null;
  onHover: (cell: Cell | null) => void;
  onPin: (cell: Cell) => void;
}) {
  const confusion = pred.confusion ?? [];
  const k = confusion.length;
  const fractions = rowFractions(confusion);
  const names = pred.classNames;
  return (
    <table
      className="pred-matrix"
      data-testid="pred-confusion"
      style={{ "--k": k } as React.CSSProperties}
      onMouseLeave={() => onHover(null)}
    >
      <caption>
        predicted class <span aria-hidden="true">→</span>
      </caption>
      <thead>
        <tr>
          <th scope="col" className="corner" title="rows: true class · columns: predicted class">
            true ↓
          </th>
          {confusion.map((_, j) => (
            <th
              key={j}
              scope="col"
              className={active?.[1] === j ? "hl" : undefined}
              title={`predicted ${classLabel(names, j)}`}
            >
              {classLabel(names, j)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, i) => (
          <tr key={i}>
            <th
              scope="row"
              className={active?.[0] === i ? "hl" : undefined}
              title={`true class ${classLabel(names, i)}`}
            >
              {classLabel(names, i)}
            </th>
            {row.map((count, j) => {
              const { background, ink } = cellColour(fractions[i]![j]!, i === j);
              const isPinned = pinned?.[0] === i && pinned[1] === j;
              const text = explainCell(confusion, names, i, j);
              return (
                <td key={j} style={{ background, color: ink }} className={isPinned ? "pinned" : undefined}>
                  <button
                    type="button"
                    data-testid="pred-cell"
                    data-true={i}
                    data-pred={j}
                    data-count={count}
                    aria-label={text}
                    aria-pressed={isPinned}
                    onMouseEnter={() => onHover([i, j])}
                    onFocus={() => onHover([i, j])}
                    onBlur={() => onHover(null)}
                    onClick={() => onPin([i, j])}
                  >
                    {count}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ImageCanvas({ data, width, height }: { data: string; width: number; height: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawGreyImage(ref.current, data, width, height);
  }, [data, width, height]);
  return <canvas ref={ref} className="pred-img" data-testid="pred-image" aria-hidden="true" />;
}

interface TileProps {
  ex: ExampleReading;
  names: string[] | null;
  image: { data: string; width: number; height: number } | null;
  inputs: InputRows | null;
  /** highlighted by the pinned confusion cell: true = matches, false = dimmed, null = no filter */
  match: boolean | null;
}

const ExampleTile = memo(function ExampleTile({ ex, names, image, inputs, match }: TileProps) {
  const right = ex.target === ex.predicted;
  const bars = outputBars(ex.outputs, names);
  const truth = classLabel(names, ex.target);
  const guess = classLabel(names, ex.predicted);
  const cls = [
    "pred-tile",
    right ? "is-right" : "is-wrong",
    image === null && inputs !== null ? "is-table" : "",
    match === true ? "is-match" : match === false ? "is-dim" : "",
  ];
  const title = `example ${ex.index}: true ${truth}, predicted ${guess}${right ? "" : " (wrong)"}`;
  return (
    <figure
      className={cls.filter(Boolean).join(" ")}
      data-testid="pred-tile"
      data-index={ex.index}
      data-correct={right}
      title={title}
    >
      <div className="pred-tile-input">
        {image ? (
          <ImageCanvas {...image} />
        ) : inputs !== null ? (
          <dl className="pred-inputs">
            {inputs.rows.map((r, i) => (
              <div key={i}>
                <dt title={r.name}>{r.name}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
            {inputs.more > 0 ? (
              <div>
                <dt className="muted">+ {plural(inputs.more, "more input")}</dt>
              </div>
            ) : null}
          </dl>
        ) : (
          // an empty frame of the image's size until the run's examples arrive (fetched once)
          <span className="pred-img" aria-label="input loading" />
        )}
      </div>
      <ol className="pred-bars" aria-label="outputs">
        {bars.map((b) => (
          <li
            key={b.cls}
            className={
              b.cls === ex.predicted ? (right ? "guess" : "guess bad") : b.cls === ex.target ? "truth" : ""
            }
            title={`${ex.outputs.length === 1 ? "p" : "output"}(${b.label}) = ${barValue(b.value)}`}
          >
            <span className="lbl">{ex.outputs.length === 1 ? `p(${b.label})` : b.label}</span>
            <span className="track">
              <span className="fill" style={{ width: `${(b.length * 100).toFixed(1)}%` }} />
            </span>
          </li>
        ))}
      </ol>
      <figcaption>
        <span className="truth">
          true <b>{truth}</b>
        </span>{" "}
        <span className={right ? "verdict ok" : "verdict bad"}>
          {right ? "✓" : "✗"} pred <b>{guess}</b>
        </span>
      </figcaption>
    </figure>
  );
});

function tableOf(examples: RunExamples | null, pred: PredictionsData): TableInputs | null {
  return examples?.kind === "table" ? tableInputs(examples.table, targetColumnCount(pred)) : null;
}

function ExampleGrid({
  pred,
  examples,
  pinned,
}: {
  pred: PredictionsData;
  examples: Examples;
  pinned: Cell | null;
}) {
  const table = tableOf(examples.data, pred);
  const shown = pred.examples.slice(0, SHOWN);
  const wrong = shown.filter((e) => e.target !== e.predicted).length;
  return (
    <section className="pred-examples" aria-label="First examples">
      <header>
        <strong>
          First {shown.length} {pred.split === "val" ? "validation" : "training"} examples
        </strong>{" "}
        <span className="muted">
          · {wrong} wrong · bars: output per class <span className="key truth">true</span>{" "}
          <span className="key bad">wrong guess</span>
        </span>
        {examples.error ? (
          <span className="muted" role="status">
            {" "}
            · inputs unavailable: {examples.error}
          </span>
        ) : null}
      </header>
      <div className="pred-grid" data-testid="pred-grid">
        {shown.map((ex) => (
          <ExampleTile
            key={ex.index}
            ex={ex}
            names={pred.classNames}
            image={imageOf(examples.data, ex.index)}
            inputs={table ? inputRows(table.names, table.rows[ex.index] ?? []) : null}
            match={pinned ? ex.target === pinned[0] && ex.predicted === pinned[1] : null}
          />
        ))}
      </div>
    </section>
  );
}

function Classification({ pred, examples }: { pred: PredictionsData; examples: Examples }) {
  const [hover, setHover] = useState<Cell | null>(null);
  const [pinned, setPinned] = useState<Cell | null>(null);
  const k = pred.confusion?.length ?? 0;
  // A pinned cell outside a new matrix (another run) is forgotten.
  const pin = pinned && pinned[0] < k && pinned[1] < k ? pinned : null;
  const onPin = useCallback(
    (c: Cell) => setPinned((p) => (p && p[0] === c[0] && p[1] === c[1] ? null : c)),
    [],
  );
  const active = hover ?? pin;
  const among = pin
    ? pred.examples.slice(0, SHOWN).filter((e) => e.target === pin[0] && e.predicted === pin[1]).length
    : 0;
  return (
    <div className="pred-body">
      <section className="pred-confusion" aria-label="Confusion matrix">
        <ConfusionMatrix pred={pred} active={active} pinned={pin} onHover={setHover} onPin={onPin} />
        <p className="pred-note" data-testid="pred-cell-note" aria-live="polite">
          {active && pred.confusion ? (
            <>
              {explainCell(pred.confusion, pred.classNames, active[0], active[1])}
              {pin && active === pin ? (
                <>
                  {" "}
                  · {among} among the examples shown{" "}
                  <button type="button" className="link" onClick={() => setPinned(null)}>
                    clear
                  </button>
                </>
              ) : null}
            </>
          ) : (
            "Colour: share of the true class (row). Hover or click a cell."
          )}
        </p>
      </section>
      <ExampleGrid pred={pred} examples={examples} pinned={pin} />
    </div>
  );
}

const ClassificationMemo = memo(
  Classification,
  (a, b) => samePredictions(a.pred, b.pred) && a.examples === b.examples,
);

// --- regression --------------------------------------------------------------------------

function ScatterPanel({ visible, name }: { visible: boolean; name: string | null }) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const painter = useRef(new ScatterPainter());
  const [boxRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useLiveDraw(visible, `${sizeVersion}|${name ?? ""}`, (frame) => {
    const c = canvasRef.current;
    const { w, h } = size.current;
    if (!c || w < 10 || h < 10) return;
    const s = readPredictions(frame as FrameLike | null)?.scatter;
    const big = typeof document !== "undefined" && document.fullscreenElement !== null;
    painter.current.paint(c, w, h, s?.target ?? [], s?.predicted ?? [], name, big);
    const points = String(painter.current.drawn);
    if (c.dataset.points !== points) c.dataset.points = points;
  });
  return (
    <div className="pred-scatter-box" ref={boxRef}>
      <canvas ref={canvasRef} data-testid="pred-scatter" aria-label="predicted against true values" />
    </div>
  );
}

function Regression({
  pred,
  examples,
  visible,
}: {
  pred: PredictionsData;
  examples: Examples;
  visible: boolean;
}) {
  const table = tableOf(examples.data, pred);
  const rows = pred.examples.slice(0, SHOWN);
  return (
    <div className="pred-body regression">
      <ScatterPanel visible={visible} name={table?.targetName ?? null} />
      <section className="pred-reg-examples" aria-label="First examples">
        <table className="pred-reg-table" data-testid="pred-reg-table">
          <caption>
            First {rows.length} {pred.split === "val" ? "validation" : "training"} examples
            {table?.targetName ? ` · target: ${columnLabel(table.targetName)}` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">true</th>
              <th scope="col">predicted</th>
              <th scope="col" title="predicted − true">
                error
              </th>
              {table ? (
                <th scope="col" className="inputs">
                  inputs
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((ex) => {
              const inputs = table ? inputSummary(table.names, table.rows[ex.index] ?? [], 3) : null;
              return (
                <tr key={ex.index}>
                  <td>{ex.index}</td>
                  <td>{fmtNum(ex.target, 4)}</td>
                  <td>{fmtNum(ex.predicted, 4)}</td>
                  <td>{fmtNum(ex.predicted - ex.target, 3)}</td>
                  {inputs !== null ? (
                    <td className="inputs" title={inputs}>
                      {inputs}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}

// --- the view ----------------------------------------------------------------------------

interface Picked {
  hasFrame: boolean;
  pred: PredictionsData | null;
}

function Headline({ pred }: { pred: PredictionsData }) {
  if (pred.task === "regression") {
    const s = pred.scatter ? regressionSummary(pred.scatter.target, pred.scatter.predicted) : null;
    return (
      <span className="pred-headline" data-testid="pred-headline">
        RMSE <strong>{fmtNum(s?.rmse, 3)}</strong>
        {s?.r2 !== null && s?.r2 !== undefined ? (
          <>
            {" "}
            · R² <strong>{fmtNum(s.r2, 3)}</strong>
          </>
        ) : null}
        {s && s.n + s.nonFinite < pred.n ? <span className="muted"> (first {s.n + s.nonFinite})</span> : null}
        {s && s.nonFinite > 0 ? (
          <span className="pred-nonfinite"> · {plural(s.nonFinite, "output")} not finite</span>
        ) : null}
      </span>
    );
  }
  const acc = accuracy(pred);
  return (
    <span
      className="pred-headline"
      data-testid="pred-headline"
      title={pred.correct !== null ? `${pred.correct} of ${pred.n} predicted right` : undefined}
    >
      <strong data-testid="pred-accuracy">{accuracyText(acc)}</strong> accuracy
    </span>
  );
}

function PredictionsViewImpl({ visible }: ViewProps) {
  const { hasFrame, pred } = useThrottledFrameValue<Picked>(
    visible,
    (f) => ({ hasFrame: f !== null, pred: readPredictions(f as FrameLike | null) }),
    4,
  );
  const examples = useRunExamples(pred?.run ?? null, pred?.split ?? null, visible);
  return (
    <LiveView visible={visible} className="predictions-view" testId="view-predictions">
      <ViewToolbar>
        {pred ? (
          <div className="pred-title">
            <Headline pred={pred} />
            <span
              className="pred-split"
              data-testid="pred-header"
              data-step={pred.step}
              data-epoch={pred.epoch}
              title="While the run trains these are refreshed once an epoch, from the epoch's validation pass"
            >
              {splitLine(pred)}
            </span>
          </div>
        ) : null}
      </ViewToolbar>
      <SequencePredictions visible={visible} />
      {pred === null ? (
        <div className="pred-empty" data-testid="pred-empty">
          <p>
            <strong>
              {hasFrame
                ? "This run's frames carry no predictions."
                : "Run a classifier, e.g. the MNIST CNN preset, to see its predictions."}
            </strong>
          </p>
          <p className="muted">
            A classifier shows its accuracy on the validation split, a confusion matrix of which classes it
            mixes up, and the first examples with its output for every class. A regression shows predicted
            against true values. Both refresh once an epoch. Open a preset from the Presets tab and press
            Play.
          </p>
        </div>
      ) : pred.task === "regression" ? (
        <Regression pred={pred} examples={examples} visible={visible} />
      ) : (
        <ClassificationMemo pred={pred} examples={examples} />
      )}
    </LiveView>
  );
}

export const PredictionsView = memo(PredictionsViewImpl);
