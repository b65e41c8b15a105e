/**
 * Binding a room to the app. The teacher leads: their spec, run, view and textbook step are sent to
 * the room as they change. A student follows: each `room_state` loads the room's spec, watches the
 * room's run (until the student tries it themselves), shows the teacher's view and textbook step.
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
  // Whatever the teacher has now is what the class starts with.
  send({ spec: stores.specs.getState().spec(), run_id: stores.runs.getState().runId ?? undefined });
  const stops = [
    stores.specs.subscribe((s, prev) => {
      if (s.revision !== prev.revision) send({ spec: s.spec() });
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
    }),
  ];
  return () => {
    if (timer) clearTimeout(timer);
    stops.forEach((stop) => stop());
  };
}

/** Student: apply every room state to the app. Returns the stop. */
export function follow(stores: Stores, textbook: TextbookStore, cls: ClassStore): () => void {
  let specJson: string | null = null;
  let lastTextbook: number | null = null;
  const apply = (room: RoomState | null, following: boolean) => {
    if (!room) return;
    if (room.spec) {
      const json = JSON.stringify(room.spec);
      if (json !== specJson) {
        specJson = json;
        stores.specs
          .getState()
          .loadSpec(room.spec as unknown as RunSpec, { title: room.title, history: false });
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
