import { useEffect, type RefObject } from "react";
import { useReactFlow } from "@xyflow/react";
import { useStores } from "../store/context";
import { giveBack, panAfterResize, type Size } from "./keepInView";

/** Pan the canvas as its pane is resized (the views splitter, the inspector opening): see panAfterResize. */
export function usePanOnResize(pane: RefObject<HTMLElement | null>): void {
  const flow = useReactFlow();
  const { specs } = useStores();
  useEffect(() => {
    const el = pane.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    let before: Size | null = null;
    let owed = 0; // leftward pan made to keep a layer in view, returned when the pane widens again
    const ro = new ResizeObserver(() => {
      const after = { w: el.clientWidth, h: el.clientHeight };
      const prev = before;
      before = after;
      // The first size, or a pane that was hidden, is React Flow's own initial fit to make.
      if (!prev || prev.w === 0 || prev.h === 0 || after.w === 0 || after.h === 0) return;
      const { x, y, zoom } = flow.getViewport();
      const id = specs.getState().selectedId;
      const node = id ? flow.getInternalNode(id) : undefined;
      const box = node
        ? {
            x: node.internals.positionAbsolute.x * zoom + x,
            y: node.internals.positionAbsolute.y * zoom + y,
            w: (node.measured.width ?? 0) * zoom,
            h: (node.measured.height ?? 0) * zoom,
          }
        : null;
      const { dx, dy } = panAfterResize(prev, after, box);
      const back = giveBack(owed, prev, after);
      owed = Math.min(0, owed + dx + back);
      if (dx + back !== 0 || dy !== 0) void flow.setViewport({ x: x + dx + back, y: y + dy, zoom });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [pane, flow, specs]);
}
