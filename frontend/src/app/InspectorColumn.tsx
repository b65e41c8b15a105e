/**
 * The right column. With nothing selected the inspector only says "select a layer", so it folds into a
 * slim strip and gives its width to the canvas and the views; selecting a layer, or clicking the strip,
 * opens it again.
 */
import { useState, type ReactNode } from "react";
import { Inspector } from "../panels/Inspector";
import { useSpecStore, useStores } from "../store/context";
import { readStored, writeStored } from "./storage";

const PINNED_KEY = "glassnet.layout.inspectorOpen";
const COLUMN_ID = "inspector-column";

export interface InspectorColumnState {
  open: boolean;
  show: () => void;
  hide: () => void;
}

/** Open while a layer is selected or after the user opened it (remembered); `alwaysOpen` when side views live there. */
export function useInspectorColumn(alwaysOpen: boolean): InspectorColumnState {
  const { specs } = useStores();
  const selected = useSpecStore((s) => s.selectedId !== null);
  const [pinned, setPinned] = useState(() => readStored(PINNED_KEY) === "1");
  return {
    open: alwaysOpen || selected || pinned,
    show: () => {
      setPinned(true);
      writeStored(PINNED_KEY, "1");
    },
    hide: () => {
      setPinned(false);
      writeStored(PINNED_KEY, null);
      specs.getState().select(null);
    },
  };
}

export function InspectorColumn({
  open,
  show,
  hide,
  sideViews,
}: InspectorColumnState & { sideViews: ReactNode | null }) {
  if (!open) {
    return (
      <aside className="right collapsed" id={COLUMN_ID}>
        <button
          className="inspector-strip"
          onClick={show}
          aria-expanded={false}
          aria-controls={COLUMN_ID}
          title="Open the inspector (or select a layer on the canvas)"
          data-testid="inspector-open"
        >
          <span aria-hidden="true">‹</span>
          <span className="strip-label">Inspector</span>
        </button>
      </aside>
    );
  }
  return (
    <aside className="right" id={COLUMN_ID}>
      <div className="inspector-wrap">
        <Inspector />
      </div>
      {sideViews ? (
        <section className="side-views">{sideViews}</section>
      ) : (
        <button
          className="inspector-close"
          onClick={hide}
          aria-expanded={true}
          aria-controls={COLUMN_ID}
          aria-label="Close the inspector"
          title="Close the inspector (deselects the layer)"
          data-testid="inspector-close"
        >
          ›
        </button>
      )}
    </aside>
  );
}
