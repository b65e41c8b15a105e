/**
 * State shared by the live views, kept out of React: the bounded frame timeline (for scrubbing back)
 * and the last few runs' loss/accuracy histories (for overlaying runs). Both are fed synchronously by
 * the telemetry hub for every accepted frame; views read them inside the one animation-frame loop.
 */
import type { TelemetryHub, LiveFrame } from "../telemetry";
import { FrameTimeline } from "./logic/timeline";
import { RunHistories } from "./logic/runHistory";
import type { FrameLike } from "./logic/frame";

/**
 * Frames kept for scrubbing. A frame of a 10-layer MLP with a 2-D boundary is ~100–300 kB decoded,
 * so 150 frames stay well under 50 MB.
 */
export const TIMELINE_CAPACITY = 150;

export interface ViewState {
  timeline: FrameTimeline<LiveFrame>;
  runs: RunHistories;
  /** spec of the run being watched, if the app told us (used to label run comparisons) */
  specFor: (runId: string) => unknown;
  /** bumps when view options shared by several views change */
  version: number;
}

export function createViewState(hub: TelemetryHub): ViewState & { detach: () => void } {
  const timeline = new FrameTimeline<LiveFrame>(TIMELINE_CAPACITY);
  const runs = new RunHistories(4, 4000);
  const state = {
    timeline,
    runs,
    specFor: (() => undefined) as (runId: string) => unknown,
    version: 0,
    detach: () => {},
  };
  const onFrame = (frame: LiveFrame) => {
    if (frame.run && !runs.get(frame.run)) runs.ensure(frame.run, state.specFor(frame.run));
    timeline.push(frame);
    runs.record(frame as FrameLike);
  };
  state.detach = hub.subscribe(onFrame);
  return state;
}

/**
 * The frame the views should draw: the scrubbed one, or the newest. After the hub is reset (a new
 * run, or the reset button) there is none until the next frame, and the old timeline is dropped.
 */
export function currentFrame(state: ViewState, hub: TelemetryHub): LiveFrame | null {
  if (hub.latest === null) {
    if (state.timeline.length > 0) state.timeline.reset();
    return null;
  }
  return state.timeline.current() ?? hub.latest;
}
