/** A small fixed-size canvas plot drawn once per change of what it shows. */
import { useEffect, useRef, type DependencyList, type RefObject } from "react";
import { clearedContext } from "./canvas";

/**
 * The ref of a canvas of width × height CSS pixels that `draw` repaints (on a cleared, DPR-scaled
 * context) after every render in which `deps`, the width or the height changed.
 */
export function useCanvasPlot(
  width: number,
  height: number,
  draw: (ctx: CanvasRenderingContext2D) => void,
  deps: DependencyList,
): RefObject<HTMLCanvasElement | null> {
  const ref = useRef<HTMLCanvasElement | null>(null);
  const latest = useRef(draw);
  latest.current = draw;
  useEffect(() => {
    const ctx = clearedContext(ref.current, width, height);
    if (ctx) latest.current(ctx);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` name what `draw` reads
  }, [width, height, ...deps]);
  return ref;
}
