/** Every layer kind from the catalog: drag onto the canvas, or click to append after the selection. */
import type { DragEvent } from "react";
import { useCatalogStore, useSpecStore, useStores } from "../store/context";
import { CATEGORY_TITLE, LAYER_CATEGORIES } from "../catalog/categories";
import type { NodeKind } from "../spec/types";
import { DRAG_MIME } from "./Canvas";
import { useFitSoon } from "./useFitSoon";

export function Palette() {
  const layers = useCatalogStore((s) => s.catalog.layers);
  const selectedId = useSpecStore((s) => s.selectedId);
  const { specs } = useStores();
  const fitSoon = useFitSoon();
  const groups = LAYER_CATEGORIES.map((category) => ({
    category,
    items: layers.filter((l) => l.category === category),
  })).filter((g) => g.items.length > 0);

  const onDragStart = (event: DragEvent, kind: string) => {
    event.dataTransfer.setData(DRAG_MIME, kind);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <div className="palette" aria-label="Layer palette">
      <p className="hint">
        Drag a layer onto the canvas, or click to add it after the selected layer. Connect layers by dragging
        from a right dot to a left dot.
      </p>
      {groups.map(({ category, items }) => (
        <section key={category}>
          <h3>{CATEGORY_TITLE[category]}</h3>
          <div className="palette-items">
            {items.map((l) => (
              <button
                key={l.kind}
                className={`palette-item kind-${l.kind}`}
                draggable
                data-kind={l.kind}
                data-testid={`palette-${l.kind}`}
                title={l.description}
                onDragStart={(e) => onDragStart(e, l.kind)}
                onClick={() => {
                  specs.getState().insertAfter(l.kind as NodeKind, selectedId);
                  fitSoon();
                }}
              >
                <span className="palette-title">{l.title}</span>
                <span className="palette-desc">{l.description}</span>
              </button>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
