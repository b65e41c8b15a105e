/** The shell: header with run controls, left tabs (build, data, training, presets, share), the canvas
 * with the live views under it, and the inspector on the right. */
import { useState } from "react";
import { Canvas } from "../panels/Canvas";
import { DataPanel } from "../panels/DataPanel";
import { ExperimentsPanel } from "../panels/ExperimentsPanel";
import { Palette } from "../panels/Palette";
import { PresetsPanel } from "../panels/PresetsPanel";
import { RunControls } from "../panels/RunControls";
import { ShortcutsLegend } from "../panels/ShortcutsLegend";
import { TrainingPanel } from "../panels/TrainingPanel";
import { useCatalogStore, useSpecStore } from "../store/context";
import { TextbookMode } from "../textbook/TextbookMode";
import { textbookStore, useTextbook } from "../textbook/store";
import { CenterColumn } from "./CenterColumn";
import { InspectorColumn, useInspectorColumn } from "./InspectorColumn";
import { ViewsArea, viewsFor } from "./ViewsArea";

const TABS = [
  { id: "build", title: "Build", Component: Palette },
  { id: "data", title: "Data", Component: DataPanel },
  { id: "training", title: "Training", Component: TrainingPanel },
  { id: "presets", title: "Presets", Component: PresetsPanel },
  { id: "share", title: "Save & share", Component: ExperimentsPanel },
] as const;
type TabId = (typeof TABS)[number]["id"];

function ValidationBadge() {
  const status = useSpecStore((s) => s.validation.status);
  const count = useSpecStore((s) => s.validation.problems.length);
  const params = useSpecStore((s) => s.validation.parameterCount);
  if (status === "invalid")
    return (
      <span className="badge bad" data-testid="validation">
        ⚠ {count} problem{count === 1 ? "" : "s"}
      </span>
    );
  if (status === "unreachable")
    return (
      <span className="badge bad" data-testid="validation">
        ⚠ server unreachable
      </span>
    );
  if (status === "valid")
    return (
      <span className="badge good" data-testid="validation">
        ✓ valid · {params?.toLocaleString()} parameters
      </span>
    );
  return (
    <span className="badge" data-testid="validation">
      checking…
    </span>
  );
}

function TabProblemsDot({ tab }: { tab: TabId }) {
  const n = useSpecStore((s) =>
    tab === "data"
      ? s.validation.mapped.byArea.data.length
      : tab === "training"
        ? s.validation.mapped.byArea.training.length
        : 0,
  );
  return n ? <span className="dot" aria-label={`${n} problems`} /> : null;
}

export function AppLayout({
  ready,
  urlError,
  onDismissUrlError,
  legend,
  onToggleLegend,
}: {
  ready: boolean;
  urlError: string | null;
  onDismissUrlError: () => void;
  legend: boolean;
  onToggleLegend: () => void;
}) {
  const [tab, setTab] = useState<TabId>("build");
  const title = useSpecStore((s) => s.title);
  const byArea = useSpecStore((s) => s.validation.mapped.byArea);
  const networkProblems = [...byArea.network, ...byArea.general];
  const catalogError = useCatalogStore((s) => s.error);
  const hasMain = viewsFor("main").length > 0;
  const hasSide = viewsFor("side").length > 0;
  const Active = TABS.find((t) => t.id === tab)!.Component;
  const textbookOpen = useTextbook((s) => s.open);
  const inspector = useInspectorColumn(hasSide);

  return (
    <div
      className={`app-shell${hasMain ? " with-views" : ""}${inspector.open ? "" : " inspector-collapsed"}`}
      data-ready={ready}
    >
      <header className="app-header">
        <div className="brand-block">
          <h1 className="brand">Glassnet</h1>
          {title ? (
            <span className="title" title={title}>
              {title}
            </span>
          ) : null}
        </div>
        <RunControls />
        <div className="header-side">
          <ValidationBadge />
          <span className="header-links">
            <button
              className="link textbook-button"
              onClick={() => textbookStore.getState().openTextbook()}
              data-testid="open-textbook"
              title="Step through one iteration with the book's numbers"
            >
              Textbook mode
            </button>
            <button
              className="link legend-button"
              onClick={onToggleLegend}
              aria-expanded={legend}
              title="Keyboard shortcuts (?)"
            >
              ⌨ Shortcuts
            </button>
          </span>
        </div>
      </header>
      {urlError ? (
        <div className="banner" role="alert">
          ⚠ {urlError}{" "}
          <button className="link" onClick={onDismissUrlError}>
            dismiss
          </button>
        </div>
      ) : null}
      {catalogError ? (
        <div className="banner" role="alert">
          ⚠ {catalogError}
        </div>
      ) : null}
      <aside className="sidebar">
        <nav className="tabs" role="tablist" aria-label="Setup">
          {TABS.map((t) => (
            <button
              key={t.id}
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? "tab active" : "tab"}
              onClick={() => setTab(t.id)}
              data-testid={`tab-${t.id}`}
            >
              {t.title}
              <TabProblemsDot tab={t.id} />
            </button>
          ))}
        </nav>
        <div className="sidebar-body" role="tabpanel">
          <Active />
        </div>
      </aside>
      <CenterColumn
        canvas={
          <>
            {networkProblems.length ? (
              <ul className="network-problems" role="alert">
                {networkProblems.map((p, i) => (
                  <li key={i}>⚠ {p.message}</li>
                ))}
              </ul>
            ) : null}
            <Canvas />
          </>
        }
        views={hasMain ? <ViewsArea area="main" /> : null}
      />
      <InspectorColumn {...inspector} sideViews={hasSide ? <ViewsArea area="side" /> : null} />
      <footer className="app-footer">
        <ShortcutsLegend compact />
      </footer>
      {textbookOpen ? <TextbookMode /> : null}
      {legend ? (
        <div
          className="legend-overlay"
          role="dialog"
          aria-label="Keyboard shortcuts"
          onClick={onToggleLegend}
        >
          <div className="legend-card">
            <h2>Keyboard shortcuts</h2>
            <ShortcutsLegend />
            <p className="hint">Press ? or click anywhere to close.</p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
