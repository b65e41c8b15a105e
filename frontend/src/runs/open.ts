/**
 * Opening a past run: its spec goes into the editor and its recorded curves and last frame into the
 * views. A live run of this browser's is adopted (it can be steered); any other run is watched
 * read-only, since steering needs its owner token.
 */
import { asTelemetryFrame } from "../net/frame";
import type { RunPublic } from "../net/api";
import { isTerminal } from "./states";
import type { Stores } from "../store/context";

export async function openRun(
  stores: Stores,
  run: Pick<RunPublic, "id" | "name" | "mine">,
  owner: string,
): Promise<void> {
  const full = await stores.api.run(run.id);
  if (full.spec) stores.specs.getState().loadSpec(full.spec, { title: run.name ?? `Run ${run.id}` });
  const ended = isTerminal(full.state);
  if (run.mine && !ended) {
    await stores.runs.getState().adoptRun(run.id, owner);
    return;
  }
  await stores.runs.getState().watchRun(run.id);
  if (!ended) return; // a live run's frames come over the websocket
  // An ended run sends no frames: its last one (kept by the server) fills the views. The curves
  // come from its metric history, which the loss view loads for the watched run.
  const frame = await stores.api.snapshot(run.id).catch(() => null);
  if (frame && stores.runs.getState().runId === run.id) stores.hub.ingest(asTelemetryFrame(frame));
}
