/** The (α, β) map of momentum on the quadratic, with the current setting ringed. */
import { useCanvasPlot } from "../../charts/useCanvasPlot";
import { cellAt, drawMomentumMap, type MomentumMapData } from "./momentumMapDraw";

const W = 300;
const H = 230;
const RECT = { x: 46, y: 4, w: W - 52, h: H - 40 };

export function MomentumMapPlot({
  map,
  onPick,
}: {
  map: MomentumMapData;
  onPick: (setting: { lr: number; momentum: number }) => void;
}) {
  const ref = useCanvasPlot(
    W,
    H,
    (ctx) => {
      drawMomentumMap(ctx, RECT, map);
    },
    [map],
  );
  return (
    <figure className="lab-map" data-testid="lab-momentum-map">
      <figcaption>
        Steps to converge, {map.kind} on x² + {map.condition_number}·y² (α up, β across; grey: not in{" "}
        {map.max_steps}, red: diverged; ring: α = {map.current.lr}, β = {map.current.momentum}; click a cell
        to race there)
      </figcaption>
      <canvas
        ref={ref}
        aria-label="Momentum (α, β) map; click a cell to race at that setting"
        data-testid="lab-momentum-map-canvas"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const picked = cellAt(RECT, map, e.clientX - r.left, e.clientY - r.top);
          if (picked) onPick({ lr: Number(picked.lr.toPrecision(4)), momentum: picked.momentum });
        }}
      />
    </figure>
  );
}
