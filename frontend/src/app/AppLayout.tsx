/** The shell: header with run controls, left tabs (build, data, training, presets, share, class, runs), the canvas
 * with the live views under it, and the inspector on the right. */
import { useState } from "react";
import { ClassOverlay } from "../classroom/ClassOverlay";
import { ClassPanel } from "../classroom/ClassPanel";
import { LessonBanner } from "../classroom/LessonBanner";
import { useStudentLimits } from "../classroom/locks";
import type { ControlGroup } from "../classroom/store";
import { Canvas } from "../panels/Canvas";
import { DataPanel } from "../panels/DataPanel";
import { ExperimentsPanel } from "../panels/ExperimentsPanel";
import { LookAtHint } from "../panels/LookAtHint";
import { Palette } from "../panels/Palette";
import { PresetsPanel } from "../panels/PresetsPanel";
import { RunsPanel } from "../runs/RunsPanel";
import { RunControls } from "../panels/RunControls";
import { ShortcutsLegend } from "../panels/ShortcutsLegend";
import { TrainingPanel } from "../panels/TrainingPanel";
import { useCatalogStore, useManyRuns, useSpecStore, useStores, useTextbook } from "../store/context";
import { useManyRunsLink } from "../sweeps/link";
import { ManyRunsPage } from "../sweeps/ManyRunsPage";
import { TextbookMode } from "../textbook/TextbookMode";
import { TabBar } from "./TabBar";
import { CenterColumn } from "./CenterColumn";
import { InspectorColumn, useInspectorColumn } from "./InspectorColumn";
import { ViewsArea, viewsFor } from "./ViewsArea";

const TABS = [
  { id: "build", title: "Build", Component: Palette },
  { id: "data", title: "Data", Component: DataPanel },
  { id: "training", title: "Training", Component: TrainingPanel },
  { id: "presets", title: "Presets", Component: PresetsPanel },
  { id: "share", title: "Save & share", Component: ExperimentsPanel },
  { id: "class", title: "Class", Component: ClassPanel },
  { id: "runs", title: "Runs", Component: RunsPanel },
] as const;
type TabId = (typeof TABS)[number]["id"];
/** The control group a teacher can lock or hide for students, per tab. */
const TAB_GROUP: Partial<Record<TabId, ControlGroup>> = {
  build: "network",
  data: "data",
  training: "training",
  presets: "presets",
  // Opening a past run loads its spec into the editor, as a preset does.
  runs: "presets",
};

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
  // A student arriving by a class link (?room=CODE) lands on the Class tab.
  const [tab, setTab] = useState<TabId>(() =>
    ["room", "lesson"].some((k) => new URLSearchParams(window.location.search).has(k)) ? "class" : "build",
  );
  const title = useSpecStore((s) => s.title);
  const byArea = useSpecStore((s) => s.validation.mapped.byArea);
  const networkProblems = [...byArea.network, ...byArea.general];
  const catalogError = useCatalogStore((s) => s.error);
  const hasMain = viewsFor("main").length > 0;
  const hasSide = viewsFor("side").length > 0;
  const limits = useStudentLimits();
  const tabs = TABS.filter((t) => !(TAB_GROUP[t.id] && limits.hidden(TAB_GROUP[t.id]!)));
  const shown = tabs.find((t) => t.id === tab) ?? tabs.find((t) => t.id === "class")!;
  const Active = shown.Component;
  const activeLocked = TAB_GROUP[shown.id] ? limits.locked(TAB_GROUP[shown.id]!) : false;
  const { textbook, manyRuns } = useStores();
  const textbookOpen = useTextbook((s) => s.open);
  const manyRunsOpen = useManyRuns((s) => s.open);
  useManyRunsLink();
  const inspector = useInspectorColumn(hasSide);

  return (
    <div
      className={`app-shell${hasMain ? " with-views" : ""}${inspector.open ? "" : " inspector-collapsed"}${limits.locked("network") ? " class-network-locked" : ""}`}
      data-ready={ready}
    >
      <header className="page-header app-header">
        <div className="brand-block">
          <h1 className="brand">Glassnet</h1>
          {title ? (
            <span className="title" title={title}>
              {title}
            </span>
          ) : null}
        </div>
        {limits.hidden("play") ? (
          <div className="run-controls" />
        ) : (
          <fieldset className="class-lock" disabled={limits.locked("play")} data-testid="lock-play-area">
            <RunControls />
          </fieldset>
        )}
        <div className="header-side">
          <ValidationBadge />
          <span className="header-links">
            {limits.hidden("textbook") ? null : (
              <button
                className="link textbook-button"
                onClick={() => textbook.getState().openTextbook()}
                data-testid="open-textbook"
                disabled={limits.locked("textbook")}
                title="Step through one iteration with the book's numbers"
              >
                Textbook mode
              </button>
            )}
            <button
              className="link many-runs-button"
              onClick={() => manyRuns.getState().openPage()}
              data-testid="open-many-runs"
              title="Sweep a field over a grid of runs, and compare runs side by side"
            >
              Sweeps &amp; compare
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
        <TabBar
          tabs={tabs.map((t) => ({
            id: t.id,
            label: (
              <>
                {t.title}
                <TabProblemsDot tab={t.id} />
              </>
            ),
          }))}
          current={shown.id}
          onSelect={setTab}
          ariaLabel="Setup"
          testIdPrefix="tab-"
        />
        <div className="sidebar-body" role="tabpanel">
          {activeLocked ? <p className="class-locked-note">🔒 The teacher has locked this for now.</p> : null}
          <fieldset className="class-lock" disabled={activeLocked} data-testid="tab-body">
            <Active />
          </fieldset>
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
            <LessonBanner />
            <LookAtHint />
            <div className={limits.locked("network") ? "class-no-edit canvas-lock" : "canvas-lock"}>
              <Canvas />
            </div>
          </>
        }
        views={hasMain ? <ViewsArea area="main" /> : null}
      />
      <InspectorColumn {...inspector} sideViews={hasSide ? <ViewsArea area="side" /> : null} />
      <footer className="app-footer">
        <ShortcutsLegend compact />
      </footer>
      {textbookOpen ? <TextbookMode /> : null}
      {manyRunsOpen ? <ManyRunsPage /> : null}
      <ClassOverlay />
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
