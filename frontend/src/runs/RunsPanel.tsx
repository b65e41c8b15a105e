/** The Runs tab: this server's runs, newest first, with what changed between them; open, export, delete. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, type RunPublic } from "../net/api";
import { useRunStore, useStores } from "../store/context";
import {
  diffText,
  durationText,
  EXPORTS,
  matchesText,
  metricsText,
  STATE_FILTERS,
  type StateFilter,
  whenText,
} from "./history";
import { openRun } from "./open";
import { runOwner } from "./owner";
import "./runs.css";

const PAGE = 50;

function message(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}

function RunItem({
  run,
  current,
  onOpen,
  onDelete,
}: {
  run: RunPublic;
  current: boolean;
  onOpen: () => void;
  onDelete: () => Promise<void>;
}) {
  const { api } = useStores();
  const [confirming, setConfirming] = useState(false);
  const label = run.summary ?? run.id;
  return (
    <li className={current ? "run-item current" : "run-item"} data-testid="run-item" data-run-id={run.id}>
      <div className="run-head">
        <span className={`run-state state-${run.state}`}>{run.state}</span>
        <button className="link run-summary" onClick={onOpen} title={`Open run ${run.id}`}>
          {label}
        </button>
      </div>
      <div className="run-diff" data-testid="run-diff" title="what changed from the run before it">
        {run.diff ? "Δ " : ""}
        {diffText(run.diff)}
      </div>
      <div className="run-meta muted">
        <span data-testid="run-metrics">{metricsText(run)}</span>
        {" · "}
        <span title={new Date(run.created_at).toLocaleString()}>{whenText(run.created_at)}</span>
        {durationText(run) ? ` · ${durationText(run)}` : ""}
        {current ? " · shown" : ""}
        {run.mine ? "" : " · view only (made elsewhere)"}
      </div>
      <div className="run-actions">
        <button onClick={onOpen} data-testid="open-run" aria-label={`open run ${run.id}`}>
          Open
        </button>
        {run.mine ? (
          confirming ? (
            <span className="run-confirm" role="group" aria-label="confirm delete">
              Delete it and its files?
              <button
                className="danger"
                data-testid="confirm-delete"
                onClick={() => void onDelete().finally(() => setConfirming(false))}
              >
                Delete
              </button>
              <button onClick={() => setConfirming(false)}>Keep</button>
            </span>
          ) : (
            <button
              className="link"
              onClick={() => setConfirming(true)}
              data-testid="delete-run"
              aria-label={`delete run ${run.id}`}
            >
              Delete
            </button>
          )
        ) : null}
      </div>
      {run.step > 0 ? (
        <div className="run-exports muted" title="download">
          ⤓{" "}
          {EXPORTS.map((e, i) => (
            <span key={e.format}>
              {i > 0 ? " · " : ""}
              <a href={api.exportUrl(run.id, e.format)} title={e.title} download>
                {e.label}
              </a>
            </span>
          ))}
        </div>
      ) : null}
    </li>
  );
}

export function RunsPanel() {
  const stores = useStores();
  const { api } = stores;
  const [owner] = useState(() => runOwner());
  const [filter, setFilter] = useState<StateFilter>("all");
  const [text, setText] = useState("");
  const [runs, setRuns] = useState<RunPublic[]>([]);
  const [total, setTotal] = useState(0);
  const [more, setMore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const currentId = useRunStore((s) => s.runId);
  const currentState = useRunStore((s) => s.state);

  const load = useCallback(
    (offset = 0) => {
      api
        .runs({ states: STATE_FILTERS[filter], limit: PAGE, offset }, owner)
        .then((page) => {
          setRuns((before) => (offset === 0 ? page.runs : [...before, ...page.runs]));
          setTotal(page.total);
          setMore(page.next_offset ?? null);
          setError(null);
        })
        .catch((e: unknown) => setError(message(e, "The runs could not be listed.")));
    },
    [api, owner, filter],
  );
  // The list follows the run being trained here: a new run appears, an ended one shows its result.
  useEffect(() => load(0), [load, currentId, currentState]);

  const open = (run: RunPublic) => {
    setError(null);
    openRun(stores, run, owner).catch((e: unknown) => setError(message(e, "The run could not be opened.")));
  };

  const remove = async (run: RunPublic) => {
    try {
      await api.deleteRun(run.id, owner);
      if (stores.runs.getState().runId === run.id) await stores.runs.getState().reset();
      load(0);
    } catch (e) {
      setError(message(e, "The run could not be deleted."));
    }
  };

  const shown = runs.filter((r) => matchesText(r, text));
  return (
    <div className="panel runs-panel" data-testid="runs-panel">
      <div className="row runs-filter">
        <input
          type="search"
          aria-label="filter runs"
          placeholder="filter: lr, tanh, spiral…"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="runs-text-filter"
        />
        <select
          aria-label="runs in state"
          title="only runs in this state"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value as StateFilter)}
          data-testid="runs-state-filter"
        >
          {Object.keys(STATE_FILTERS).map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <button onClick={() => load(0)} title="List the runs again" aria-label="refresh the runs">
          ↻
        </button>
      </div>
      <p className="hint" data-testid="runs-count">
        {total} run{total === 1 ? "" : "s"} on this server
        {shown.length !== runs.length ? ` · ${shown.length} shown` : ""}. Open one to see its curves and last
        frame.
      </p>
      {error ? <p className="field-error">⚠ {error}</p> : null}
      <ul className="run-list" data-testid="run-list">
        {shown.map((run) => (
          <RunItem
            key={run.id}
            run={run}
            current={run.id === currentId}
            onOpen={() => open(run)}
            onDelete={() => remove(run)}
          />
        ))}
      </ul>
      {more !== null ? (
        <button className="link" onClick={() => load(more)}>
          Show older runs
        </button>
      ) : null}
    </div>
  );
}
