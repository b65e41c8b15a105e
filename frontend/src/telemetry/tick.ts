/**
 * One requestAnimationFrame loop for every live view: each registered drawer is called once per
 * animation frame with the hub, and told whether a new frame arrived since its previous call.
 */
import { useEffect, useRef } from "react";
import { telemetry, type TelemetryHub } from "./hub";

export type Drawer = (hub: TelemetryHub, changed: boolean) => void;

interface Entry {
  draw: Drawer;
  seen: number;
}

const entries = new Set<Entry>();
let handle: number | null = null;

function loop(): void {
  handle = null;
  for (const entry of entries) {
    const changed = entry.seen !== telemetry.version;
    entry.seen = telemetry.version;
    try {
      entry.draw(telemetry, changed);
    } catch (error) {
      // One broken view must not stop the others from drawing.
      console.error("telemetry view failed to draw", error);
    }
  }
  if (entries.size > 0) handle = requestAnimationFrame(loop);
}

/** Register a drawer outside React; returns the function that removes it. */
export function addDrawer(draw: Drawer): () => void {
  const entry: Entry = { draw, seen: -1 };
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
 * React hook: call `draw` every animation frame while `enabled`. The latest `draw` is used without
 * re-registering, so it may close over props and state freely.
 */
export function useTelemetryTick(draw: Drawer, enabled = true): void {
  const ref = useRef(draw);
  ref.current = draw;
  useEffect(() => {
    if (!enabled) return;
    return addDrawer((hub, changed) => ref.current(hub, changed));
  }, [enabled]);
}
