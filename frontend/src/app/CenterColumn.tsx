/**
 * The centre column: the network canvas above, the live views below, and a splitter between them that
 * follows the WAI-ARIA window-splitter pattern (the views are its primary pane). Drag it or use the
 * arrow keys; a double-click returns to the default; the split is remembered in localStorage.
 */
import {
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  type RefObject,
} from "react";
import {
  MIN_CANVAS,
  MIN_VIEWS,
  STORAGE_KEY,
  clampViews,
  parseShare,
  viewsAfterKey,
  viewsHeight,
} from "./split";
import { readStored, writeStored } from "./storage";

const VIEWS_ID = "live-views";

/** The height the two panes share: the column minus the splitter, kept current with a ResizeObserver. */
function useSharedHeight(column: RefObject<HTMLElement | null>, splitter: RefObject<HTMLElement | null>) {
  const [total, setTotal] = useState(0);
  useLayoutEffect(() => {
    const el = column.current;
    if (!el) return;
    const measure = () => setTotal(Math.max(0, el.clientHeight - (splitter.current?.offsetHeight ?? 0)));
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [column, splitter]);
  return total;
}

export function CenterColumn({ canvas, views }: { canvas: ReactNode; views: ReactNode | null }) {
  const columnRef = useRef<HTMLElement | null>(null);
  const splitterRef = useRef<HTMLDivElement | null>(null);
  const total = useSharedHeight(columnRef, splitterRef);
  const [share, setShare] = useState(() => parseShare(readStored(STORAGE_KEY)));
  const drag = useRef<{ y: number; px: number } | null>(null);
  const px = viewsHeight(share, total);

  const moveTo = (next: number, remember: boolean) => {
    const s = total > 0 ? clampViews(next, total) / total : null;
    setShare(s);
    if (remember && s !== null) writeStored(STORAGE_KEY, s.toFixed(4));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault(); // no text selection while dragging
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { y: e.clientY, px };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) moveTo(drag.current.px + drag.current.y - e.clientY, false);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    // A click without a move (half of a double-click, say) leaves the default split alone.
    if (e.clientY !== drag.current.y) moveTo(drag.current.px + drag.current.y - e.clientY, true);
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = viewsAfterKey(e.key, e.shiftKey, px, total);
    if (next === null) return;
    e.preventDefault();
    moveTo(next, true);
  };
  const reset = () => {
    setShare(null);
    writeStored(STORAGE_KEY, null);
  };

  const percent = (v: number) => (total > 0 ? Math.round((100 * v) / total) : 0);
  return (
    <main className="center" ref={columnRef}>
      <section className="canvas-area" aria-label="Network editor">
        {canvas}
      </section>
      {views ? (
        <>
          <div
            ref={splitterRef}
            className="splitter"
            role="separator"
            tabIndex={0}
            aria-orientation="horizontal"
            aria-controls={VIEWS_ID}
            aria-label="Live views height"
            aria-valuenow={percent(px)}
            aria-valuemin={percent(MIN_VIEWS)}
            aria-valuemax={percent(total - MIN_CANVAS)}
            title="Drag, or focus and press ↑ ↓, to resize the live views; double-click to reset"
            data-testid="views-splitter"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => {
              drag.current = null;
              writeStored(STORAGE_KEY, share === null ? null : share.toFixed(4));
            }}
            onKeyDown={onKeyDown}
            onDoubleClick={reset}
          />
          <section className="main-views" id={VIEWS_ID} style={total > 0 ? { flexBasis: px } : undefined}>
            {views}
          </section>
        </>
      ) : null}
    </main>
  );
}
