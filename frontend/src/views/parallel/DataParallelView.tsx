/**
 * Data parallel: each worker's shard of the batch and its gradient, the all-reduce that combines
 * them, the update it makes, and how far the all-reduce is from one worker's gradient of the whole
 * batch (0 or rounding). Asynchronous runs say how stale the gradients were. It shows the newest
 * frame, or the frame scrubbed to on the timeline.
 */
import { memo } from "react";
import type { ViewProps } from "../../app/viewTypes";
import { fmtNum } from "../../charts/format";
import { useThrottledFrameValue } from "../useLiveDraw";
import { describeDifference, fullDigits, parallelModel, type GradientBar } from "./model";
import "./parallel.css";
import { ViewToolbar, LiveView } from "../ViewChrome";

function Bars({ bars, testId }: { bars: GradientBar[]; testId?: string }) {
  return (
    <ul className="dp-bars" data-testid={testId}>
      {bars.map((b) => (
        <li key={b.name} title={`‖${b.name}‖₂ = ${b.norm}`}>
          <span className="dp-bar-name">{b.name}</span>
          <span className="dp-bar-track">
            <span className="dp-bar" style={{ width: `${Math.max(1, b.share * 100)}%` }} />
          </span>
          <span className="dp-bar-value">{fmtNum(b.norm, 3)}</span>
        </li>
      ))}
    </ul>
  );
}

function DataParallelViewImpl({ visible }: ViewProps) {
  const model = useThrottledFrameValue(visible, parallelModel, 4);
  return (
    <LiveView visible={visible} className="data-parallel-view" testId="view-data-parallel">
      <ViewToolbar />
      {model === null ? (
        <p className="view-hint" data-testid="data-parallel-empty">
          This view shows data-parallel training: set workers k under Training → Data parallel (or load a
          data-parallel preset) and press play.
        </p>
      ) : (
        <>
          <p className="dp-summary" data-testid="data-parallel-summary">
            Step {model.step}: a batch of {model.batchRows} rows split across {model.workers} workers;
            all-reduce {model.rule}
            {model.mode === "async"
              ? `; asynchronous: the gradients were computed on the weights of ${model.staleness} update${model.staleness === 1 ? "" : "s"} ago`
              : "; synchronous: every worker read the current weights"}
            {model.inProcess
              ? " (the workers run one after another in the run's process)"
              : " (each worker computes in a process of its own)"}
            .
          </p>
          <div className="dp-flow">
            <div className="dp-workers">
              {model.cards.map((c) => (
                <section className="dp-card" key={c.worker} data-testid="dp-worker-card">
                  <h4>worker {c.worker + 1}</h4>
                  <p className="dp-rows" title={`training examples ${c.examples.join(", ")}`}>
                    {c.rows}
                  </p>
                  <p className="dp-meta">loss {c.loss === null ? "–" : fmtNum(c.loss, 4)}</p>
                  <p className="dp-meta" title="its weight in the all-reduce">
                    weight {fmtNum(c.weight, 3)}
                  </p>
                  <Bars bars={c.bars} />
                </section>
              ))}
            </div>
            <span className="dp-arrow" aria-hidden>
              ⇒
            </span>
            <section className="dp-card dp-sum" data-testid="dp-average-card">
              <h4>all-reduce {model.rule}</h4>
              <p className="dp-meta">‖g‖₂ per parameter</p>
              <Bars bars={model.average} />
            </section>
            <span className="dp-arrow" aria-hidden>
              ⇒
            </span>
            <section className="dp-card dp-update" data-testid="dp-update-card">
              <h4>update Δθ</h4>
              <p className="dp-meta">
                {model.mode === "async" ? `applied to the current θ (s = ${model.staleness})` : "θ ← θ + Δθ"}
              </p>
              <Bars bars={model.update} />
            </section>
          </div>
          <p className="dp-difference" data-testid="dp-difference">
            max |all-reduce − one worker on the whole batch| = {describeDifference(model.difference)}
          </p>
          {model.sample ? (
            <p className="dp-sample" data-testid="dp-sample">
              {model.sample.name}[0]: all-reduce {fullDigits(model.sample.average)}
              {model.sample.oneWorker !== null ? ` · one worker ${fullDigits(model.sample.oneWorker)}` : ""} ·
              update {fullDigits(model.sample.update)}
            </p>
          ) : null}
        </>
      )}
    </LiveView>
  );
}

export const DataParallelView = memo(DataParallelViewImpl);
