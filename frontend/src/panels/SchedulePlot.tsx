/** The learning rate over the epochs for the chosen schedule. */
import { strokeLine } from "../charts/canvas";
import { useCanvasPlot } from "../charts/useCanvasPlot";
import { scheduleCurve } from "../catalog/schedule";
import type { ScheduleSpec } from "../spec/types";

const W = 260;
const H = 90;

export function SchedulePlot({
  schedule,
  lr,
  epochs,
}: {
  schedule: ScheduleSpec | undefined;
  lr: number;
  epochs: number;
}) {
  const ref = useCanvasPlot(
    W,
    H,
    (ctx) => {
      const { epoch, lr: ys } = scheduleCurve(schedule, lr, Math.max(1, epochs));
      const hi = Math.max(...ys, 1e-12);
      const px = (e: number) => 4 + (e / Math.max(1, epochs)) * (W - 8);
      const py = (y: number) => H - 16 - (y / hi) * (H - 26);
      ctx.strokeStyle = "#bbb";
      ctx.beginPath();
      ctx.moveTo(4, py(0));
      ctx.lineTo(W - 4, py(0));
      ctx.stroke();
      strokeLine(
        ctx,
        ys.map((y, i) => [px(epoch[i]!), py(y)]),
        { colour: "#009E73", width: 2.5 },
      );
      ctx.fillStyle = "#333";
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillText(`α = ${lr}`, 6, 11);
      ctx.fillText(`epoch ${epochs}: ${ys.at(-1)!.toPrecision(3)}`, W - 130, H - 3);
    },
    [schedule, lr, epochs],
  );
  return (
    <canvas
      ref={ref}
      style={{ width: W, height: H }}
      className="schedule-plot"
      aria-label="learning rate schedule"
    />
  );
}
