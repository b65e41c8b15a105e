/** Save the setup as a named experiment (a short shareable id) and reopen saved ones; link the run. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, type SavedExperiment } from "../net/api";
import { useRunStore, useStores } from "../store/context";
import { runLink } from "../classroom/useClassroom";
import { ownerToken } from "../runs/owner";

const OWNER_KEY = "glassnet.experiment-owner";

export function shareUrl(id: string): string {
  return `${window.location.origin}/?e=${encodeURIComponent(id)}`;
}

/**
 * This browser's experiment owner token: kept in localStorage so that experiments saved here stay
 * "mine" (renamable, deletable) across reloads; a per-tab token when storage is unavailable.
 */
export function experimentOwner(storage?: Storage | null): string {
  return ownerToken(OWNER_KEY, storage);
}

function message(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}

export function ExperimentsPanel() {
  const { api, specs } = useStores();
  const [owner] = useState(() => experimentOwner());
  const [name, setName] = useState("");
  const [list, setList] = useState<SavedExperiment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedExperiment | null>(null);
  const runId = useRunStore((s) => s.runId);

  const refresh = useCallback(() => {
    api
      .experiments(owner)
      .then((r) => setList(r.experiments))
      .catch((e: unknown) => setError(message(e, "Experiments could not be listed.")));
  }, [api, owner]);
  useEffect(refresh, [refresh]);

  const save = async () => {
    setError(null);
    try {
      const exp = await api.saveExperiment(
        name.trim() || specs.getState().title || "Untitled experiment",
        specs.getState().spec(),
        owner,
      );
      setSaved(exp);
      refresh();
    } catch (e) {
      setError(message(e, "The experiment could not be saved."));
    }
  };

  const rename = (e: SavedExperiment) => {
    const next = window.prompt("New name", e.name)?.trim();
    if (!next || next === e.name) return;
    void api
      .renameExperiment(e.id, next.slice(0, 200), owner)
      .then(refresh)
      .catch((err: unknown) => setError(message(err, "The experiment could not be renamed.")));
  };

  const remove = (e: SavedExperiment) => {
    void api
      .deleteExperiment(e.id, owner)
      .then(refresh)
      .catch((err: unknown) => setError(message(err, "The experiment could not be deleted.")));
  };

  const open = (e: SavedExperiment) => specs.getState().loadSpec(e.spec, { title: e.name });
  const mine = list.filter((e) => e.mine);
  const shared = list.filter((e) => !e.mine);

  const entry = (e: SavedExperiment) => (
    <>
      <button className="link" onClick={() => open(e)}>
        {e.name}
      </button>{" "}
      <span className="muted">
        {e.id} · {new Date(e.updated_at).toLocaleString()}
      </span>{" "}
      <a className="muted" href={shareUrl(e.id)} title="link to this experiment">
        link
      </a>
    </>
  );

  return (
    <div className="panel experiments-panel">
      <h3>Save this setup</h3>
      <div className="row">
        <input
          type="text"
          aria-label="experiment name"
          placeholder="name, e.g. XOR with 2 hidden units"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
        />
        <button className="primary" onClick={() => void save()} data-testid="save-experiment">
          Save
        </button>
      </div>
      {saved ? (
        <p className="share">
          Saved as <strong>{saved.name}</strong>. Share:{" "}
          <a href={shareUrl(saved.id)} data-testid="share-link">
            {shareUrl(saved.id)}
          </a>
        </p>
      ) : null}
      {error ? <p className="field-error">⚠ {error}</p> : null}
      <p className="hint">
        The address bar always holds the whole setup too: copy it to share without saving.
      </p>
      {runId ? (
        <p className="share">
          Watch this run:{" "}
          <a href={runLink(window.location.origin, runId)} data-testid="run-link">
            {runLink(window.location.origin, runId)}
          </a>{" "}
          <span className="muted">(anyone with the link sees it live; only you can steer it)</span>
        </p>
      ) : null}
      <h3>My experiments</h3>
      <ul className="experiment-list" data-testid="my-experiments">
        {mine.map((e) => (
          <li key={e.id}>
            {entry(e)}{" "}
            <button className="link" aria-label={`rename ${e.name}`} onClick={() => rename(e)}>
              rename
            </button>{" "}
            <button className="link" aria-label={`delete ${e.name}`} onClick={() => remove(e)}>
              delete
            </button>
          </li>
        ))}
        {mine.length === 0 ? <li className="muted">None yet.</li> : null}
      </ul>
      <h3>Shared with me</h3>
      <p className="hint">Open one to try it; Save keeps a copy of your own to change.</p>
      <ul className="experiment-list" data-testid="shared-experiments">
        {shared.map((e) => (
          <li key={e.id}>{entry(e)}</li>
        ))}
        {shared.length === 0 ? <li className="muted">None yet.</li> : null}
      </ul>
    </div>
  );
}
