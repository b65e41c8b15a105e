/** f(z) and f′(z) of the chosen activation on a small canvas. */
import { strokeLine } from "../charts/canvas";
import { useCanvasPlot } from "../charts/useCanvasPlot";
import { sampleActivation } from "../catalog/activationFns";
import type { ActivationSpec } from "../spec/types";

const F_COLOUR = "#0072B2"; // Okabe–Ito blue
const DF_COLOUR = "#D55E00"; // Okabe–Ito vermillion

const W = 300;
const H = 140;

export function ActivationPlot({ spec }: { spec: ActivationSpec }) {
  const ref = useCanvasPlot(
    W,
    H,
    (ctx) => {
      const { z, f, df } = sampleActivation(spec, -4, 4);
      const all = [...f, ...df].filter(Number.isFinite);
      const lo = Math.min(-1.1, ...all);
      const hi = Math.max(1.1, ...all);
      const px = (x: number) => ((x + 4) / 8) * (W - 8) + 4;
      const py = (y: number) => H - 6 - ((y - lo) / (hi - lo)) * (H - 12);
      ctx.strokeStyle = "#999";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px(-4), py(0));
      ctx.lineTo(px(4), py(0));
      ctx.moveTo(px(0), py(lo));
      ctx.lineTo(px(0), py(hi));
      ctx.stroke();
      const curve = (ys: number[]) => ys.map((y, i) => [px(z[i]!), py(y)] as const);
      strokeLine(ctx, curve(df), { colour: DF_COLOUR, width: 2.5, dash: [6, 4] });
      strokeLine(ctx, curve(f), { colour: F_COLOUR, width: 2.5 });
      ctx.font = "13px system-ui, sans-serif";
      ctx.fillStyle = "#333";
      ctx.fillText(`${lo.toFixed(1)}…${hi.toFixed(1)}, z ∈ [−4, 4]`, 6, 14);
    },
    [spec],
  );
  return (
    <figure className="activation-plot">
      <canvas
        ref={ref}
        style={{ width: W, height: H }}
        aria-label={`plot of ${spec.kind} and its derivative`}
      />
      <figcaption>
        <span style={{ color: F_COLOUR }}>━ f(z)</span> <span style={{ color: DF_COLOUR }}>╍ f′(z)</span>
      </figcaption>
    </figure>
  );
}
