/** Save the setup as a named experiment (a short shareable id) and reopen saved ones. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, type SavedExperiment } from "../net/api";
import { useStores } from "../store/context";

export function shareUrl(id: string): string {
  return `${window.location.origin}${window.location.pathname}?e=${encodeURIComponent(id)}`;
}

export function ExperimentsPanel() {
  const { api, specs } = useStores();
  const [name, setName] = useState("");
  const [list, setList] = useState<SavedExperiment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedExperiment | null>(null);

  const refresh = useCallback(() => {
    api
      .experiments()
      .then((r) => setList(r.experiments))
      .catch((e: unknown) =>
        setError(e instanceof ApiError ? e.message : "Experiments could not be listed."),
      );
  }, [api]);
  useEffect(refresh, [refresh]);

  const save = async () => {
    setError(null);
    try {
      const exp = await api.saveExperiment(
        name.trim() || specs.getState().title || "Untitled experiment",
        specs.getState().spec(),
      );
      setSaved(exp);
      refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The experiment could not be saved.");
    }
  };

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
      <h3>Saved experiments</h3>
      <ul className="experiment-list">
        {list.map((e) => (
          <li key={e.id}>
            <button className="link" onClick={() => specs.getState().loadSpec(e.spec, { title: e.name })}>
              {e.name}
            </button>{" "}
            <span className="muted">
              {e.id} · {new Date(e.updated_at).toLocaleString()}
            </span>{" "}
            <a className="muted" href={shareUrl(e.id)} title="link to this experiment">
              link
            </a>{" "}
            <button
              className="link"
              aria-label={`delete ${e.name}`}
              onClick={() =>
                void api
                  .deleteExperiment(e.id)
                  .then(refresh)
                  .catch((err: unknown) =>
                    setError(err instanceof ApiError ? err.message : "The experiment could not be deleted."),
                  )
              }
            >
              delete
            </button>
          </li>
        ))}
        {list.length === 0 ? <li className="muted">None yet.</li> : null}
      </ul>
    </div>
  );
}
