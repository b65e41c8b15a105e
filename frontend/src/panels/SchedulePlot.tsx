/** The learning rate over the epochs for the chosen schedule. */
import { strokeLine } from "../charts/canvas";
import { useCanvasPlot } from "../charts/useCanvasPlot";
import { scheduleCurve } from "../catalog/schedule";
import type { ScheduleSpec } from "../spec/types";

export function SchedulePlot({
  schedule,
  lr,
  epochs,
  width = 260,
  height = 90,
}: {
  schedule: ScheduleSpec | undefined;
  lr: number;
  epochs: number;
  width?: number;
  height?: number;
}) {
  const ref = useCanvasPlot(
    width,
    height,
    (ctx) => {
      const { epoch, lr: ys } = scheduleCurve(schedule, lr, Math.max(1, epochs));
      const hi = Math.max(...ys, 1e-12);
      const px = (e: number) => 4 + (e / Math.max(1, epochs)) * (width - 8);
      const py = (y: number) => height - 16 - (y / hi) * (height - 26);
      ctx.strokeStyle = "#bbb";
      ctx.beginPath();
      ctx.moveTo(4, py(0));
      ctx.lineTo(width - 4, py(0));
      ctx.stroke();
      strokeLine(
        ctx,
        ys.map((y, i) => [px(epoch[i]!), py(y)]),
        { colour: "#009E73", width: 2.5 },
      );
      ctx.fillStyle = "#333";
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillText(`α = ${lr}`, 6, 11);
      ctx.fillText(`epoch ${epochs}: ${ys.at(-1)!.toPrecision(3)}`, width - 130, height - 3);
    },
    [schedule, lr, epochs],
  );
  return (
    <canvas
      ref={ref}
      style={{ width, height }}
      className="schedule-plot"
      aria-label="learning rate schedule"
    />
  );
}
