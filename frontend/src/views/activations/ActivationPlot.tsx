/** f (solid) and f′ (dashed) over z ∈ [−5, 5], with the saturated stretches shaded. */
import { useCanvasPlot } from "../../charts/useCanvasPlot";
import { drawNote, strokeLine } from "../../charts/canvas";
import { sampleActivation } from "../../catalog/activationFns";
import type { ActivationInput, DeltaFacts } from "./activationFacts";

const W = 230;
const H = 120;
const Z = 5;

export function GalleryPlot({ spec, facts }: { spec: ActivationInput; facts: DeltaFacts }) {
  const ref = useCanvasPlot(
    W,
    H,
    (ctx) => {
      const { z, f, df } = sampleActivation(spec, -Z, Z, 201);
      const ys = [...f, ...df].filter(Number.isFinite);
      const lo = Math.min(-1.1, ...ys);
      const hi = Math.max(1.1, ...ys);
      const px = (v: number) => ((v + Z) / (2 * Z)) * W;
      const py = (v: number) => H - 4 - ((v - lo) / (hi - lo)) * (H - 8);
      ctx.clearRect(0, 0, W, H);
      ctx.fillStyle = "rgba(213, 94, 0, 0.10)";
      for (const iv of [...facts.saturated, ...facts.dead]) {
        const a = px(Math.max(-Z, iv.lo));
        const b = px(Math.min(Z, iv.hi));
        if (b > a) ctx.fillRect(a, 0, b - a, H);
      }
      ctx.strokeStyle = "#bbb";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(0, py(0));
      ctx.lineTo(W, py(0));
      ctx.moveTo(px(0), 0);
      ctx.lineTo(px(0), H);
      ctx.stroke();
      const curve = (values: number[]) =>
        values.map((v, i) => [px(z[i]!), py(Math.max(lo, Math.min(hi, v)))] as const);
      strokeLine(ctx, curve(f), { colour: "#0072B2", width: 2 });
      strokeLine(ctx, curve(df), { colour: "#E69F00", width: 2, dash: [5, 3] });
      drawNote(ctx, `z ∈ [−${Z}, ${Z}]`, 3, 2, 11, { colour: "#555", top: true });
    },
    [spec, facts],
  );
  return <canvas ref={ref} aria-label="f and its derivative" />;
}
