/** f(w) = w² at four learning rates: too small, right, oscillating, diverging. */
import { useCanvasPlot } from "../../charts/useCanvasPlot";
import { font } from "../../charts/canvas";
import { CATEGORICAL } from "../../charts/palette";
import { exact, LR_DEMO, LR_DEMO_START, lrDemoRequest, type RaceTrajectory } from "./race";
import { useRace } from "./useRace";
import { LabError } from "./LabError";

const W = 150;
const H = 110;
const REQUEST = lrDemoRequest();

function Parabola({ path, colour }: { path: RaceTrajectory; colour: string }) {
  const ref = useCanvasPlot(
    W,
    H,
    (ctx) => {
      const span = 1.6 * LR_DEMO_START;
      const px = (w: number) => W / 2 + (w / span) * (W / 2 - 4);
      const py = (f: number) => H - 6 - (f / (span * span)) * (H - 12);
      ctx.strokeStyle = "#999";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let i = 0; i <= 60; i++) {
        const w = -span + (2 * span * i) / 60;
        if (i === 0) ctx.moveTo(px(w), py(w * w));
        else ctx.lineTo(px(w), py(w * w));
      }
      ctx.stroke();
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, W, H);
      ctx.clip();
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      path.points.forEach((p, k) => {
        const w = p[0] ?? 0;
        if (k === 0) ctx.moveTo(px(w), py(w * w));
        else ctx.lineTo(px(w), py(w * w));
      });
      ctx.stroke();
      for (const p of path.points) {
        const w = p[0] ?? 0;
        ctx.beginPath();
        ctx.arc(px(w), py(w * w), 2.5, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.restore();
      ctx.fillStyle = "#333";
      ctx.font = font(12);
    },
    [path, colour],
  );
  return <canvas ref={ref} />;
}

export function LrDemo() {
  const { data, error } = useRace(REQUEST);
  return (
    <section className="lab-lrdemo" data-testid="lab-lr-demo">
      <h4>Learning rate on f(w) = w²: w ← w − α·2w = (1 − 2α)·w, from w = {LR_DEMO_START}</h4>
      <LabError error={error} />
      <div className="lab-lrdemo-row">
        {data
          ? data.trajectories.map((t, i) => {
              const demo = LR_DEMO[i]!;
              const last = t.points[t.points.length - 1];
              return (
                <figure key={demo.lr}>
                  <Parabola path={t} colour={CATEGORICAL[i]!} />
                  <figcaption>
                    α = {demo.lr}: <b>{demo.label}</b>
                    <br />1 − 2α = {exact(1 - 2 * demo.lr)}; w{t.points.length - 1} = {exact(last?.[0])}
                  </figcaption>
                </figure>
              );
            })
          : null}
      </div>
    </section>
  );
}
