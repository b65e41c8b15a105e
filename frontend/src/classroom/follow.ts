/**
 * Binding a room to the app. The teacher leads: their spec (with the loaded preset's "look at"
 * hint), run, view and textbook step are sent to the room as they change, and each lesson step the
 * teacher goes to loads its setup on the teacher's page. A student follows: each `room_state` loads
 * the room's spec and hint, watches the room's run (until the student tries it themselves), shows
 * the teacher's view and textbook step.
 */
import type { RoomState } from "../generated";
import type { RunSpec } from "../spec/types";
import type { Stores } from "../store/context";
import type { TextbookStore } from "../textbook/store";
import type { ClassStore } from "./store";

const SEND_AFTER_MS = 250;

/** Teacher: send changes of the editor, the run, the view and textbook mode. Returns the stop. */
export function lead(stores: Stores, textbook: TextbookStore, cls: ClassStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Record<string, unknown> = {};
  const send = (patch: Record<string, unknown>) => {
    pending = { ...pending, ...patch };
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const body = pending;
      pending = {};
      void cls.getState().patch(body);
    }, SEND_AFTER_MS);
  };
  // A page back in its room (a reload) leads with what it has now. A room just opened already
  // holds the teacher's spec and hint, or its lesson's first step, which this page loads next.
  const runId = stores.runs.getState().runId ?? undefined;
  if (cls.getState().entered === "resume")
    send({ spec: stores.specs.getState().spec(), look_at: stores.specs.getState().lookAt, run_id: runId });
  else if (runId) send({ run_id: runId });
  const stops = [
    stores.specs.subscribe((s, prev) => {
      if (s.revision !== prev.revision) send({ spec: s.spec() });
      // Each load (a preset, an experiment, a lesson step) brings its own hint, or none.
      if (s.loads !== prev.loads) send({ look_at: s.lookAt });
    }),
    stores.runs.subscribe((r, prev) => {
      if (r.runId && r.runId !== prev.runId) send({ run_id: r.runId });
    }),
    textbook.subscribe((t, prev) => {
      if (t.open !== prev.open || t.place.stage !== prev.place.stage)
        send({ textbook: t.open ? t.place.stage : null });
    }),
    cls.subscribe((c, prev) => {
      if (c.view !== prev.view && c.view) send({ view: c.view });
      if (c.stepped !== prev.stepped && c.room?.spec) void loadStep(stores, c.room);
    }),
  ];
  return () => {
    if (timer) clearTimeout(timer);
    stops.forEach((stop) => stop());
  };
}

/** Teacher: a lesson step's setup on the teacher's own page, as a preset loads (the last run left behind). */
async function loadStep(stores: Stores, room: RoomState): Promise<void> {
  await stores.runs.getState().reset();
  stores.specs.getState().loadSpec(room.spec as unknown as RunSpec, {
    title: room.lesson?.step_title ?? room.title,
    lookAt: room.look_at ?? null,
  });
}

/** Student: apply every room state to the app. Returns the stop. */
export function follow(stores: Stores, textbook: TextbookStore, cls: ClassStore): () => void {
  let specJson: string | null = null;
  let lookAt: string | null = null;
  let lastTextbook: number | null = null;
  const apply = (room: RoomState | null, following: boolean) => {
    if (!room) return;
    if (room.spec) {
      const json = JSON.stringify(room.spec);
      const hint = room.look_at ?? null;
      if (json !== specJson || hint !== lookAt) {
        specJson = json;
        lookAt = hint;
        // The teacher left their run behind for another network: so does a follower.
        if (following && !room.run_id && stores.runs.getState().runId) void stores.runs.getState().reset();
        stores.specs.getState().loadSpec(room.spec as unknown as RunSpec, {
          title: room.lesson?.step_title ?? room.title,
          history: false,
          lookAt: hint,
        });
      }
    }
    if (following && room.run_id && room.run_id !== stores.runs.getState().runId) {
      void stores.runs.getState().watchRun(room.run_id);
    }
    const stage = room.textbook ?? null;
    if (stage !== lastTextbook) {
      lastTextbook = stage;
      if (stage === null) {
        if (textbook.getState().open) textbook.getState().close();
      } else if (!textbook.getState().open) {
        textbook.getState().openTextbook({ kind: "editor" }, { stage, example: 0 });
      } else {
        textbook.getState().setPlace({ stage, example: textbook.getState().place.example });
      }
    }
  };
  apply(cls.getState().room, cls.getState().following);
  return cls.subscribe((c, prev) => {
    if (c.room !== prev.room || c.following !== prev.following) apply(c.room, c.following);
  });
}
