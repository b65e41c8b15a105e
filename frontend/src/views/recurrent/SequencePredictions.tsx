/**
 * Sequence outputs in the Predictions view: the predicted sequence drawn against the target (solid
 * target, dashed prediction, one colour per example) and, for the character model, the text with each
 * predicted character marked right or wrong.
 */
import { memo, useEffect, useRef } from "react";
import { LineChart, type LineSeries } from "../../charts/lineChart";
import { CATEGORICAL } from "../../charts/palette";
import { useElementSize, useLiveDraw, useThrottledFrameValue } from "../useLiveDraw";
import { sequenceColumns, sequenceModel, type TextLine } from "./sequence";

function SequenceChart({ visible }: { visible: boolean }) {
  const boxRef = useRef<HTMLDivElement | null>(null);
  const chart = useRef<LineChart | null>(null);
  const [sizeRef, size, sizeVersion] = useElementSize<HTMLDivElement>();
  useEffect(() => {
    if (!boxRef.current) return;
    chart.current = new LineChart(boxRef.current, { yLabel: "output", xLabel: "step t" });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useLiveDraw(visible, `${sizeVersion}`, (frame) => {
    const c = chart.current;
    const model = sequenceModel(frame);
    if (!c || !model || model.curves.length === 0) return;
    const series: LineSeries[] = model.curves.flatMap((curve, i) => {
      const stroke = CATEGORICAL[i % CATEGORICAL.length] ?? "#333";
      return [
        { label: `#${curve.index} target`, stroke, width: 2.5 },
        { label: `#${curve.index} predicted`, stroke, width: 2, dash: [6, 4] },
      ];
    });
    const { w, h } = size.current;
    if (w > 0 && h > 0) c.resize(w, h);
    c.update(series, sequenceColumns(model.curves));
  });
  return (
    <figure className="grad-chart sequence-chart">
      <figcaption>Predicted (dashed) against target (solid), step by step</figcaption>
      <div className="chart-size-box" ref={sizeRef}>
        <div ref={boxRef} data-testid="sequence-chart" />
      </div>
    </figure>
  );
}

function TextLines({ lines }: { lines: TextLine[] }) {
  return (
    <div className="sequence-text" data-testid="sequence-text">
      <p className="muted">
        Each predicted character is the model&apos;s guess for the next one after reading the text up to that
        step; green where it matches.
      </p>
      {lines.map((l) => (
        <div key={l.index} className="sequence-text-pair">
          <div>
            <span className="muted">target </span>
            <code>{l.target}</code>
          </div>
          <div>
            <span className="muted">predicted </span>
            <code>
              {Array.from(l.predicted).map((ch, i) => (
                <span key={i} className={l.right[i] ? "ch-right" : "ch-wrong"}>
                  {ch}
                </span>
              ))}
            </code>
          </div>
        </div>
      ))}
    </div>
  );
}

function SequencePredictionsImpl({ visible }: { visible: boolean }) {
  const model = useThrottledFrameValue(visible, sequenceModel, 2);
  if (!model) return null;
  return (
    <section className="sequence-predictions" data-testid="sequence-predictions">
      {model.text ? <TextLines lines={model.text} /> : null}
      {model.curves.length > 0 && !model.text ? <SequenceChart visible={visible} /> : null}
    </section>
  );
}

/** Nothing for a network whose outputs are not sequences. */
export const SequencePredictions = memo(SequencePredictionsImpl);
