/**
 * One requestAnimationFrame loop for every live view: each registered drawer is called once per
 * animation frame with its app's hub, and told whether a new frame arrived since its previous call.
 *
 * The loop itself is shared by the whole page on purpose: the browser has one frame clock, and one
 * callback per frame for every view of every app mounted keeps their drawing in the same frame. It
 * holds no app state: each drawer brings the hub it reads, so two apps on one page never see each
 * other's frames.
 */
import { useEffect, useRef } from "react";
import type { TelemetryHub } from "./hub";

export type Drawer = (hub: TelemetryHub, changed: boolean) => void;

interface Entry {
  hub: TelemetryHub;
  draw: Drawer;
  seen: number;
}

const entries = new Set<Entry>();
let handle: number | null = null;

function loop(): void {
  handle = null;
  for (const entry of entries) {
    const changed = entry.seen !== entry.hub.version;
    entry.seen = entry.hub.version;
    try {
      entry.draw(entry.hub, changed);
    } catch (error) {
      // One broken view must not stop the others from drawing.
      console.error("telemetry view failed to draw", error);
    }
  }
  if (entries.size > 0) handle = requestAnimationFrame(loop);
}

/** Register a drawer of `hub` outside React; returns the function that removes it. */
export function addDrawer(hub: TelemetryHub, draw: Drawer): () => void {
  const entry: Entry = { hub, draw, seen: -1 };
  entries.add(entry);
  if (handle === null) handle = requestAnimationFrame(loop);
  return () => {
    entries.delete(entry);
    if (entries.size === 0 && handle !== null) {
      cancelAnimationFrame(handle);
      handle = null;
    }
  };
}

/**
 * React hook: call `draw` with `hub` every animation frame while `enabled`. The latest `draw` is used
 * without re-registering, so it may close over props and state freely.
 */
export function useTelemetryTick(hub: TelemetryHub, draw: Drawer, enabled = true): void {
  const ref = useRef(draw);
  ref.current = draw;
  useEffect(() => {
    if (!enabled) return;
    return addDrawer(hub, (h, changed) => ref.current(h, changed));
  }, [hub, enabled]);
}
