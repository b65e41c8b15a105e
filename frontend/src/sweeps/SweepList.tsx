/**
 * This server's sweeps, newest first: each with its state, what its axes vary, how far its grid
 * has come, its best final loss and when it was made. Opening one shows its curves, table and
 * parallel-coordinates plot. Asked again while any listed sweep still has runs waiting or training.
 */
import { useEffect, useMemo, useState } from "react";
import { fmtNum } from "../charts/format";
import type { SweepSummary } from "../net/api";
import { whenText } from "../runs/history";
import { useManyRuns, useStores } from "../store/context";
import { commonFields } from "./fields";
import { sweepLive } from "../runs/states";
import { axesLine, progressLine } from "./sweepList";

const PAGE = 20;
const POLL_MS = 3000;

export function SweepList() {
  const { api, specs, manyRuns } = useStores();
  const openId = useManyRuns((s) => s.sweepId);
  const fields = useMemo(() => commonFields(specs.getState().spec()), [specs]);
  const [limit, setLimit] = useState(PAGE);
  const [sweeps, setSweeps] = useState<SweepSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = async () => {
      try {
        const page = await api.sweeps({ limit });
        if (!alive) return;
        setSweeps(page.sweeps);
        setTotal(page.total);
        setError(null);
        if (page.sweeps.some(sweepLive)) timer = setTimeout(() => void load(), POLL_MS);
      } catch (e) {
        if (alive) setError((e as Error).message);
      }
    };
    void load();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, limit, openId]); // a sweep just made (opened) joins the list
  return (
    <section className="sweep-list" aria-label="Past sweeps" data-testid="sweep-list">
      <h3>
        Sweeps on this server <span className="muted small">{sweeps ? total : ""}</span>
      </h3>
      {error ? (
        <p className="error small" role="alert">
          ⚠ {error}
        </p>
      ) : null}
      {sweeps && sweeps.length === 0 ? <p className="muted small">None yet.</p> : null}
      <ul>
        {(sweeps ?? []).map((s) => (
          <li key={s.id}>
            <button
              className={s.id === openId ? "sweep-entry open" : "sweep-entry"}
              aria-current={s.id === openId ? "true" : undefined}
              onClick={() => manyRuns.getState().showSweep(s.id, null)}
              title={s.spec_summary}
              data-testid="sweep-entry"
              data-sweep-id={s.id}
            >
              <span className="sweep-entry-head">
                <span className={`badge state-${s.state}`}>{s.state}</span>
                <span className="sweep-entry-name">{s.name ?? <code>{s.id}</code>}</span>
                <span className="muted small" title={new Date(s.created_at).toLocaleString()}>
                  {whenText(s.created_at)}
                </span>
              </span>
              <span className="sweep-entry-axes">{axesLine(s.axes, fields)}</span>
              <span className="muted small">
                {progressLine(s.progress)}
                {s.best_loss === null ? "" : ` · best loss ${fmtNum(s.best_loss)}`}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {sweeps && total > sweeps.length ? (
        <button className="link" onClick={() => setLimit(limit + PAGE)} data-testid="sweep-list-more">
          {total - sweeps.length} older…
        </button>
      ) : null}
    </section>
  );
}
