/** Where the slide's printed number differs from the correct one, said beside the table it concerns. */
import type { Erratum } from "./logic/errata";

export function ErrataNotes({
  items,
  title = "Where the slides differ",
}: {
  items: readonly Erratum[];
  title?: string;
}) {
  if (items.length === 0) return null;
  return (
    <aside className="tb-errata" aria-label={title} data-testid="tb-errata">
      <h4>⚠ {title}</h4>
      <ul>
        {items.map((e, i) => (
          <li key={i}>
            <ErratumText erratum={e} />
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** One erratum in words: where, the slide's value struck out, the correct one, and any note. */
export function ErratumText({ erratum: e }: { erratum: Erratum }) {
  return (
    <>
      <span className="tb-errata-where">
        {e.example} — {e.quantity}:
      </span>{" "}
      slide <s className="tb-errata-slide">{e.slide_value}</s>, correct{" "}
      <b className="tb-errata-correct">{e.correct_value}</b>
      {e.note ? <span className="tb-errata-note"> {e.note}</span> : null}
    </>
  );
}
