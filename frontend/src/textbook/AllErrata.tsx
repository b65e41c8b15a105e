/**
 * Every erratum of the three lectures in one list, grouped by lecture: where a slide prints a wrong
 * number, the printed and the correct value, and a way to the worked example that shows it live.
 */
import { ErratumText } from "./ErrataNotes";
import { groupBySource, type Erratum } from "./logic/errata";

export function AllErrata({
  errata,
  onOpen,
  canOpen,
}: {
  errata: readonly Erratum[];
  onOpen: (presetId: string) => void;
  canOpen: (presetId: string) => boolean;
}) {
  const groups = groupBySource(errata);
  return (
    <section className="tb-all-errata" aria-label="All errata" data-testid="tb-errata-list">
      <p className="muted">
        Where the slides print a number that differs from the correct value. Each is tested against the
        corrected value; those with a worked example open it here.
      </p>
      {groups.map(([source, items]) => (
        <div key={source} className="tb-errata-group">
          <h4>
            {source} ({items.length})
          </h4>
          <ul>
            {items.map((e, i) => (
              <li key={i} data-testid="tb-erratum">
                <ErratumText erratum={e} />
                {e.preset && canOpen(e.preset) ? (
                  <>
                    {" "}
                    <button className="link" onClick={() => onOpen(e.preset!)}>
                      open the example ▸
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
