/**
 * Hooks for the live views: draw inside the app's one requestAnimationFrame loop, only when something
 * drawn actually changed (a new frame, a scrub of the timeline, a resize or an option), and never
 * while the view's tab is hidden.
 */
import { startTransition, useEffect, useRef, useState } from "react";
import { useTelemetryTick, type LiveFrame, type TelemetryHub } from "../telemetry";
import { useStores } from "../store/context";
import { currentFrame } from "./state";

export interface Size {
  w: number;
  h: number;
}

/** Observe an element's content size; the returned ref holds the newest size without re-rendering. */
export function useElementSize<T extends HTMLElement>(): [
  React.RefObject<T | null>,
  React.RefObject<Size>,
  number,
] {
  const ref = useRef<T | null>(null);
  const size = useRef<Size>({ w: 0, h: 0 });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (!r) return;
      const w = Math.floor(r.width);
      const h = Math.floor(r.height);
      if (w !== size.current.w || h !== size.current.h) {
        size.current = { w, h };
        setVersion((v) => v + 1);
      }
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size, version];
}

/**
 * Call `draw(frame, hub)` from the shared animation-frame loop whenever the frame on screen, `key`
 * (options that change the picture) or `sizeVersion` changed since the last call.
 */
export function useLiveDraw(
  visible: boolean,
  key: string,
  draw: (frame: LiveFrame | null, hub: TelemetryHub) => void,
): void {
  const { hub, views } = useStores();
  const last = useRef("");
  useTelemetryTick(
    hub,
    () => {
      const k = `${hub.version}|${views.timeline.version}|${views.runs.version}|${key}`;
      if (k === last.current) return;
      last.current = k;
      draw(currentFrame(views, hub), hub);
    },
    visible,
  );
  // Drawing again after becoming visible: the tab may have been resized while hidden.
  useEffect(() => {
    if (!visible) last.current = "";
  }, [visible]);
}

/**
 * A React-state snapshot of something cheap derived from the current frame, refreshed at most `hz` per
 * second. `key` names whatever else `pick` reads (e.g. a selection): when it changes the value is read
 * again at once, so it never describes the previous key, even while no frames arrive.
 */
export function useThrottledFrameValue<T>(
  visible: boolean,
  pick: (frame: LiveFrame | null) => T,
  hz = 4,
  key = "",
): T {
  const { hub, views } = useStores();
  const [state, setState] = useState<{ key: string; value: T }>(() => ({
    key,
    value: pick(currentFrame(views, hub)),
  }));
  const lastAt = useRef(0);
  const lastKey = useRef("");
  useTelemetryTick(
    hub,
    () => {
      const k = `${hub.version}|${views.timeline.version}|${key}`;
      if (k === lastKey.current) return;
      const now = performance.now();
      if (now - lastAt.current < 1000 / hz) return;
      lastAt.current = now;
      lastKey.current = k;
      const next = { key, value: pick(currentFrame(views, hub)) };
      // A transition lets React render the table in slices between animation frames, so a text
      // refresh never costs the canvases a frame.
      startTransition(() => setState(next));
    },
    visible,
  );
  if (state.key !== key) {
    // React's "adjust state while rendering": re-render at once with the value for the new key.
    const fresh = { key, value: pick(currentFrame(views, hub)) };
    setState(fresh);
    return fresh.value;
  }
  return state.value;
}
