/**
 * A worked example on given vectors (the LSTM lecture's forget gate and backward step): the given
 * vectors, then one equation at a time with its value beside the slide's printed one, and the
 * errata where the slide's number is wrong.
 */
import { useState } from "react";
import { formatNumber, type Precision } from "./logic/format";
import { agreesWithSlide, type Matrix, type Vector, type VectorWalk } from "./logic/lstmWalks";

function Values({
  value,
  precision,
  testId,
}: {
  value: Vector | Matrix;
  precision: Precision;
  testId?: string;
}) {
  const rows = (Array.isArray(value[0]) ? value : [value]) as number[][];
  return (
    <table className="tb-table tb-vector" data-testid={testId}>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r}>
            {row.map((v, c) => (
              <td key={c} className="num">
                {formatNumber(v, precision, "a")}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function VectorWalkView({ walk, precision }: { walk: VectorWalk; precision: Precision }) {
  const [shown, setShown] = useState(0);
  const last = walk.steps.length;
  return (
    <div className="tb-body tb-vector-walk" data-testid="tb-vector-walk">
      <section className="tb-left tb-scroll" aria-label="Worked example">
        <div className="tb-stepbar">
          <button onClick={() => setShown(0)} disabled={shown === 0}>
            « Reset
          </button>
          <button onClick={() => setShown((n) => Math.max(0, n - 1))} disabled={shown === 0}>
            ◀ Back
          </button>
          <button
            className="primary"
            onClick={() => setShown((n) => Math.min(last, n + 1))}
            disabled={shown === last}
            data-testid="tb-walk-next"
          >
            Next step ▶
          </button>
          <button onClick={() => setShown(last)} disabled={shown === last} data-testid="tb-walk-all">
            All »
          </button>
          <span className="tb-status" role="status" data-testid="tb-walk-status">
            {shown === 0
              ? "The given vectors. Step through the equations."
              : `Step ${shown} of ${last}: ${walk.steps[shown - 1]!.says}.`}
          </span>
        </div>
        <ol className="tb-walk-steps">
          {walk.steps.slice(0, shown).map((s, i) => {
            const agrees = agreesWithSlide(s.value, s.printed);
            return (
              <li key={s.equation} data-testid={`tb-walk-step-${i + 1}`}>
                <p>
                  <b>{s.equation}</b> <span className="muted">{s.says}</span>
                </p>
                <Values value={s.value} precision={precision} testId={`tb-walk-value-${i + 1}`} />
                {s.printed ? (
                  <p className={agrees ? "tb-walk-agrees" : "tb-errata-note"}>
                    {agrees
                      ? "✓ as the slide prints it"
                      : `⚠ the slide prints ${s.printed.flat().join(", ")}`}
                    {s.erratum ? `: ${s.erratum}` : ""}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>
      <section className="tb-right narrow" aria-label="About this example">
        <div className="tb-tabbody">
          <section className="tb-about">
            <h4>{walk.title}</h4>
            <p>{walk.description}</p>
          </section>
          <h4>Given</h4>
          <dl className="tb-given">
            {walk.given.map((g) => (
              <div key={g.name}>
                <dt>{g.name}</dt>
                <dd>
                  <Values value={g.value} precision={precision} />
                  {g.erratum ? (
                    <p className="tb-errata-note" data-testid="tb-walk-erratum">
                      ⚠ slide <s className="tb-errata-slide">{g.printed?.join(", ")}</s>: {g.erratum}
                    </p>
                  ) : null}
                </dd>
              </div>
            ))}
          </dl>
          {walk.note ? <p className="tb-errata-note">{walk.note}</p> : null}
        </div>
      </section>
    </div>
  );
}
