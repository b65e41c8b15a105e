/**
 * The many-runs page, over the whole app: sweeps (a new grid of runs from the editor's spec, or one
 * of this server's past sweeps, with its curves, table and parallel-coordinates plot) and
 * comparisons of runs side by side.
 */
import { useEffect } from "react";
import { BackToEditor } from "../app/BackToEditor";
import { TabBar } from "../app/TabBar";
import { useManyRuns, useStores } from "../store/context";
import { ComparePanel } from "./ComparePanel";
import { SweepForm } from "./SweepForm";
import { SweepList } from "./SweepList";
import { SweepResults } from "./SweepResults";
import "./sweeps.css";

const TABS = [
  { id: "sweep", label: "Sweep" },
  { id: "compare", label: "Compare" },
] as const;

export function ManyRunsPage() {
  const { manyRuns } = useStores();
  const tab = useManyRuns((s) => s.tab);
  const sweepId = useManyRuns((s) => s.sweepId);
  const close = () => manyRuns.getState().close();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") manyRuns.getState().close();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [manyRuns]);
  return (
    <div
      className="many-runs"
      role="dialog"
      aria-modal="true"
      aria-label="Sweeps and comparisons"
      data-testid="many-runs"
    >
      <header className="page-header mr-header">
        <h2>
          Glassnet <span className="muted">many runs</span>
        </h2>
        <TabBar
          tabs={TABS}
          current={tab}
          onSelect={(t) => manyRuns.getState().setTab(t)}
          testIdPrefix="mr-tab-"
        />
        <BackToEditor onClose={close} className="mr-close" testId="mr-close" />
      </header>
      <div className="mr-body">
        {tab === "sweep" ? (
          <div className="sweep-page">
            <div className="sweep-side">
              <SweepForm />
              <SweepList />
            </div>
            {sweepId ? (
              <SweepResults key={sweepId} id={sweepId} />
            ) : (
              <p className="muted sweep-empty">
                A sweep trains one run per combination of the axes' values, as many at once as the server
                allows, and shows them side by side here. Open a past sweep from the list on the left.
              </p>
            )}
          </div>
        ) : (
          <ComparePanel />
        )}
      </div>
    </div>
  );
}
