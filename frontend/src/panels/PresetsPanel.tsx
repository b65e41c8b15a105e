/** The lecture presets: title, what each teaches, one click to load. */
import { useState } from "react";
import { ApiError, type PresetSummary } from "../net/api";
import { useCatalogStore, useStores } from "../store/context";

function teachesText(t: PresetSummary["teaches"]): string {
  if (!t) return "";
  return Array.isArray(t) ? t.join(" · ") : t;
}

export function PresetsPanel() {
  const { api, specs, runs, textbook } = useStores();
  const presets = useCatalogStore((s) => s.presets);
  const status = useCatalogStore((s) => s.status);
  const error = useCatalogStore((s) => s.error);
  const [loading, setLoading] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = async (p: PresetSummary) => {
    setLoading(p.id);
    setLoadError(null);
    try {
      const preset = await api.preset(p.id);
      // Another network: the last run (stopped, if it was live) leaves the views, which then wait
      // for this one's first frame instead of showing the old network's.
      await runs.getState().reset();
      // The canvas fits the network itself (useFitOnLoad), as it does for experiments and links.
      specs.getState().loadSpec(preset.spec, { title: preset.title || p.id, lookAt: preset.look_at ?? null });
    } catch (e) {
      setLoadError(e instanceof ApiError ? e.message : `Preset '${p.id}' could not be loaded.`);
    } finally {
      setLoading(null);
    }
  };

  return (
    <div className="panel presets-panel">
      {status === "loading" ? <p className="hint">Loading presets…</p> : null}
      {error && presets.length === 0 ? <p className="field-error">⚠ {error}</p> : null}
      {loadError ? <p className="field-error">⚠ {loadError}</p> : null}
      <ul className="preset-list">
        {presets.map((p) => (
          <li key={p.id}>
            <button
              className="preset"
              onClick={() => void load(p)}
              disabled={loading !== null}
              data-testid={`preset-${p.id}`}
            >
              <span className="preset-title">
                {p.title || p.id}
                {p.mode ? <span className="badge">{p.mode}</span> : null}
              </span>
              {p.teaches ? <span className="preset-teaches">Teaches: {teachesText(p.teaches)}</span> : null}
              {p.description ? (
                <span className="preset-desc" title={p.description}>
                  {p.description}
                </span>
              ) : null}
              {p.look_at ? <span className="preset-look">{p.look_at}</span> : null}
              {loading === p.id ? <span className="muted">loading…</span> : null}
            </button>
            {p.mode === "textbook" ? (
              <button
                className="link"
                onClick={() =>
                  void load(p).then(() => textbook.getState().openTextbook({ kind: "preset", id: p.id }))
                }
                disabled={loading !== null}
                data-testid={`preset-textbook-${p.id}`}
              >
                Open in textbook mode ▸
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {status === "ready" && presets.length === 0 ? <p className="hint">The server has no presets.</p> : null}
    </div>
  );
}
