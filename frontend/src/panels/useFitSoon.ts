import { useCallback } from "react";
import { useReactFlow } from "@xyflow/react";

/** Fit the canvas to the network on the next frame (after React Flow has measured new nodes). */
export function useFitSoon(): () => void {
  const flow = useReactFlow();
  return useCallback(() => {
    requestAnimationFrame(() =>
      requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1.2, duration: 200 })),
    );
  }, [flow]);
}
