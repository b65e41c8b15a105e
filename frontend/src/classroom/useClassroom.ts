/**
 * Wiring of the classroom into the app, once the address bar's setup is loaded: `/runs/ID` or
 * `?run=ID` opens any run read-only, `?room=CODE` joins that class (or resumes this tab's place in it),
 * `?lesson=ID` teaches that lesson (in this tab's room, or a new one), and the page then leads
 * (teacher) or follows (student) while it is in a room.
 */
import { useEffect } from "react";
import { ApiError } from "../net/api";
import type { Stores } from "../store/context";
import { follow, lead } from "./follow";
import { lessonFromSearch } from "./lesson";
import type { ClassStore } from "./store";

const RUN_PATH = /^\/runs\/([A-Za-z0-9_-]{1,64})\/?$/;

/** The run a link names: `/runs/ID` (the path) or `?run=ID`, else null. */
export function runFromLocation(loc: Pick<Location, "pathname" | "search">): string | null {
  const fromPath = RUN_PATH.exec(loc.pathname)?.[1];
  return fromPath ?? new URLSearchParams(loc.search).get("run");
}

/** A link anyone can open to watch a run (read-only without its owner token). */
export function runLink(origin: string, runId: string): string {
  return `${origin}/runs/${encodeURIComponent(runId)}`;
}

/** Open a run by id, read-only: its spec goes into the editor and its frames into the views. */
export async function openRun(stores: Stores, runId: string): Promise<string | null> {
  try {
    const run = await stores.api.run(runId);
    if (run.spec)
      stores.specs.getState().loadSpec(run.spec, { title: run.name ?? `run ${run.id}`, history: false });
    await stores.runs.getState().watchRun(runId);
    return null;
  } catch (error) {
    return error instanceof ApiError && error.status === 404
      ? `There is no run '${runId}' on this server (it may have been deleted).`
      : `The run '${runId}' could not be opened: ${(error as Error).message}`;
  }
}

/** Start leading or following whenever the page's role in a room changes. */
export function bindRole(stores: Stores, cls: ClassStore): () => void {
  let stop: (() => void) | null = null;
  const start = (role: string | null) => {
    stop?.();
    stop =
      role === "teacher"
        ? lead(stores, stores.textbook, cls)
        : role === "student"
          ? follow(stores, stores.textbook, cls)
          : null;
  };
  start(cls.getState().role);
  const unsubscribe = cls.subscribe((c, prev) => {
    if (c.role !== prev.role || c.code !== prev.code) start(c.role);
  });
  return () => {
    unsubscribe();
    stop?.();
  };
}

export function useClassroom(stores: Stores, ready: boolean, onError: (message: string) => void): void {
  useEffect(() => {
    if (!ready) return;
    const cls = stores.classroom;
    const stop = bindRole(stores, cls);
    const query = new URLSearchParams(window.location.search);
    const room = query.get("room");
    const run = runFromLocation(window.location);
    const lesson = lessonFromSearch(window.location.search);
    const saved = cls.getState().role ? true : cls.getState().resume();
    if (lesson) {
      // Once the lesson is open the link has done its work: a reload resumes the room where it is.
      const url = new URL(window.location.href);
      url.searchParams.delete("lesson");
      window.history.replaceState(window.history.state, "", url);
      void cls.getState().teachLesson(lesson, stores.specs.getState().spec());
    } else if (room && !(saved && cls.getState().code === room.toUpperCase()))
      void cls.getState().join(room, null);
    else if (run) void openRun(stores, run).then((error) => error && onError(error));
    return stop;
  }, [stores, ready, onError]);
}
