/**
 * Scrub back through the frames of the current run kept in memory. Every view draws the selected frame;
 * "Live" follows the newest frame again.
 */
import { useState } from "react";
import { useTelemetryTick } from "../telemetry";
import { useStores } from "../store/context";
import type { FrameTimeline } from "./logic/timeline";
import type { LiveFrame } from "../telemetry";

interface Pos {
  len: number;
  index: number;
  live: boolean;
  step: number | null;
  latestStep: number | null;
}

function read(t: FrameTimeline<LiveFrame>): Pos {
  return {
    len: t.length,
    index: t.index,
    live: t.isLive,
    step: t.current()?.step ?? null,
    latestStep: t.latest()?.step ?? null,
  };
}

export function TimelineBar({ visible }: { visible: boolean }) {
  const { hub, views } = useStores();
  const t = views.timeline;
  const [pos, setPos] = useState<Pos>(() => read(t));
  useTelemetryTick(
    hub,
    () => {
      const p = read(t);
      if (p.len !== pos.len || p.index !== pos.index || p.live !== pos.live || p.step !== pos.step) setPos(p);
    },
    visible,
  );
  const back = pos.len > 0 ? pos.len - 1 - pos.index : 0;
  return (
    <div className="timeline-bar" role="group" aria-label="Timeline">
      <button
        type="button"
        onClick={() => t.stepBy(-1)}
        disabled={pos.len < 2 || pos.index <= 0}
        title="Previous frame"
      >
        ◀
      </button>
      <input
        type="range"
        aria-label="Scrub recorded frames"
        min={0}
        max={Math.max(0, pos.len - 1)}
        value={Math.max(0, pos.index)}
        onChange={(e) => t.select(Number(e.currentTarget.value))}
        disabled={pos.len < 2}
      />
      <button type="button" onClick={() => t.stepBy(1)} disabled={pos.live || pos.len < 2} title="Next frame">
        ▶
      </button>
      <button
        type="button"
        className={pos.live ? "live on" : "live"}
        onClick={() => t.live()}
        aria-pressed={pos.live}
        title="Follow the newest frame"
      >
        {pos.live ? "● Live" : "Live"}
      </button>
      <span className="timeline-label" data-testid="timeline-label">
        {pos.len === 0
          ? "no frames yet"
          : pos.live
            ? `step ${pos.step ?? "–"}`
            : `step ${pos.step ?? "–"} (${back} back)`}
      </span>
    </div>
  );
}
