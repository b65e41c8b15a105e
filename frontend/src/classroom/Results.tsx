/** The answers gathered, without names: bars per option, or a histogram of the numbers. */
import type { QuestionResults } from "../generated";

const fmt = (x: number) =>
  Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 0.01) ? x.toExponential(2) : String(+x.toFixed(3));

export function Results({ results }: { results: QuestionResults }) {
  const q = results.question;
  const actual = q.actual ?? null;
  return (
    <div className="class-results" data-testid="class-results" aria-label="Answers gathered">
      <p className="hint">
        {results.total} answer{results.total === 1 ? "" : "s"}
        {actual !== null ? (
          <>
            {" "}
            · what happened: <strong data-testid="class-actual">{String(actual)}</strong>
          </>
        ) : null}
      </p>
      {results.options ? (
        <OptionBars options={results.options} total={results.total} actual={actual} />
      ) : null}
      {results.histogram ? (
        <Histogram h={results.histogram} actual={typeof actual === "number" ? actual : null} />
      ) : null}
    </div>
  );
}

function OptionBars({
  options,
  total,
  actual,
}: {
  options: NonNullable<QuestionResults["options"]>;
  total: number;
  actual: string | number | null;
}) {
  return (
    <ul className="class-bars">
      {options.map((o) => (
        <li
          key={o.option}
          className={o.option === actual ? "right" : undefined}
          data-testid={`count-${o.option}`}
        >
          <span className="label">{o.option}</span>
          <span className="bar" style={{ width: `${total ? (100 * o.count) / total : 0}%` }} />
          <span className="count">{o.count}</span>
        </li>
      ))}
    </ul>
  );
}

function Histogram({ h, actual }: { h: NonNullable<QuestionResults["histogram"]>; actual: number | null }) {
  const max = Math.max(1, ...h.counts);
  const w = 240;
  const bar = w / h.counts.length;
  const x = (v: number) => (h.hi > h.lo ? ((v - h.lo) / (h.hi - h.lo)) * w : w / 2);
  return (
    <figure className="class-histogram">
      <svg viewBox={`0 0 ${w} 90`} width="100%" role="img" aria-label="histogram of the numbers answered">
        {h.counts.map((c, i) => (
          <rect
            key={i}
            x={i * bar + 1}
            width={bar - 2}
            y={80 - (70 * c) / max}
            height={(70 * c) / max}
            className="hbar"
          >
            <title>{c}</title>
          </rect>
        ))}
        {actual !== null && actual >= h.lo && actual <= h.hi ? (
          <line x1={x(actual)} x2={x(actual)} y1={4} y2={84} className="actual" />
        ) : null}
        <line x1={0} x2={w} y1={80.5} y2={80.5} className="axis" />
      </svg>
      <figcaption className="hint">
        {fmt(h.lo)} … {fmt(h.hi)} · mean {fmt(h.mean)} · median {fmt(h.median)}
      </figcaption>
    </figure>
  );
}
