/** App-wide effects: debounced validation, keyboard shortcuts, catalog loading. */
import { useEffect } from "react";
import { useReactFlow } from "@xyflow/react";
import { ApiError } from "../net/api";
import type { Stores } from "../store/context";
import { isTypingTarget, shortcutFor, type ShortcutAction } from "./shortcuts";
import { shortcutBlocked } from "../classroom/locks";
import { FIT_VIEW } from "../panels/useFitSoon";

export const VALIDATE_DEBOUNCE_MS = 300;

/** Validate the spec on the server after every edit (debounced); results land on nodes and panels. */
export function useValidation(stores: Stores): void {
  useEffect(() => {
    const { specs, api } = stores;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      const state = specs.getState();
      const revision = state.revision;
      const spec = state.spec();
      state.setValidation({ revision, status: "pending" });
      api
        .validate(spec)
        .then((r) => {
          specs.getState().setValidation({
            revision,
            status: "valid",
            problems: [],
            shapes: Object.fromEntries(r.nodes.map((n) => [n.id, n.shape])),
            parameters: Object.fromEntries(r.nodes.map((n) => [n.id, n.parameters])),
            parameterCount: r.parameter_count,
          });
        })
        .catch((error: unknown) => {
          if (error instanceof ApiError && !error.offline && error.status === 422) {
            specs.getState().setValidation({ revision, status: "invalid", problems: error.problems });
          } else {
            specs.getState().setValidation({ revision, status: "unreachable", problems: [] });
          }
        });
    };
    run();
    const unsubscribe = specs.subscribe((s, prev) => {
      if (s.revision === prev.revision) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, VALIDATE_DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [stores]);
}

export function useKeyboard(stores: Stores, toggleLegend: () => void): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.repeat) return;
      const action = shortcutFor(e);
      if (!action || shortcutBlocked(stores.classroom, action)) return;
      const runs = stores.runs.getState();
      const specs = stores.specs.getState();
      e.preventDefault();
      const handlers: Record<ShortcutAction, () => void> = {
        togglePlay: () => void runs.togglePlay(),
        step: () => void runs.stepOnce(),
        epoch: () => void runs.stepEpoch(),
        reset: () => void runs.reset(),
        undo: () => specs.undo(),
        redo: () => specs.redo(),
        layout: () => {
          specs.autoLayout();
          requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW, duration: 200 }));
        },
        legend: toggleLegend,
        speedSlow: () => runs.setSpeed("slow"),
        speedMedium: () => runs.setSpeed("medium"),
        speedFull: () => runs.setSpeed("full"),
      };
      handlers[action]();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [stores, toggleLegend, flow]);
}
