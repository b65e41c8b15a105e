import { useCallback, useEffect } from "react";
import { useReactFlow, type FitViewOptions } from "@xyflow/react";
import { useSpecStore, useStores } from "../store/context";

/**
 * How a network is fitted to the canvas: clear of the tool bar along the top edge and of the zoom
 * controls on the left, so that no layer card sits under them (a short canvas at 1280×720 puts the
 * cards' tops right where the tool bar is).
 */
export const FIT_VIEW = {
  padding: { top: "52px", left: "52px", right: "4%", bottom: "6%" },
  maxZoom: 1.2,
} satisfies FitViewOptions;

/** Fit the canvas to the network on the next frame (after React Flow has measured new nodes). */
export function useFitSoon(): () => void {
  const flow = useReactFlow();
  return useCallback(() => {
    requestAnimationFrame(() =>
      requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW, duration: 200 })),
    );
  }, [flow]);
}

/**
 * Fit a network that was just loaded, and once more when the server's answer for it arrives: the shapes
 * and parameter counts it adds make each layer card a line wider, which would push the last layers out.
 */
export function useFitLoaded(): () => void {
  const fitSoon = useFitSoon();
  const { specs } = useStores();
  return useCallback(() => {
    fitSoon();
    const revision = specs.getState().revision;
    const stop = specs.subscribe((s) => {
      if (s.revision !== revision) stop();
      else if (s.validation.revision === revision && s.validation.status !== "pending") {
        stop();
        fitSoon();
      }
    });
  }, [fitSoon, specs]);
}

/** Fit every network that arrives whole, wherever it comes from (see SpecState.loads). */
export function useFitOnLoad(): void {
  const fitLoaded = useFitLoaded();
  const loads = useSpecStore((s) => s.loads);
  useEffect(() => {
    if (loads > 0) fitLoaded();
  }, [loads, fitLoaded]);
}
