/**
 * The classroom store: this browser's part in a room (teacher or student), the room's public state
 * as the server last sent it, the gathered answers and the class's forks. One per app (in the store
 * context), like the textbook store, so the shell's locks, the views and the Class tab read it
 * without props.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { useStore } from "zustand";
import type {
  ForkPublic,
  LessonCreate,
  LessonPublic,
  QuestionCreate,
  QuestionResults,
  RoomPatch,
  RoomState,
} from "../generated";
import { ApiError, type ApiClient } from "../net/api";
import type { RunSpec } from "../spec/types";
import { RoomApi } from "./api";
import { RoomSocket } from "./socket";

export type Role = "teacher" | "student";
/** network editing, data, training settings, play/step, textbook, presets. */
export type ControlGroup = NonNullable<RoomPatch["locked"]>[number];
export const GROUPS: readonly ControlGroup[] = ["network", "data", "training", "play", "textbook", "presets"];

const SAVED = "glassnet.class";

interface Saved {
  role: Role;
  code: string;
  token: string;
  alias: string | null;
}

export interface ClassState {
  role: Role | null;
  code: string | null;
  token: string | null;
  alias: string | null;
  room: RoomState | null;
  /** A student follows the teacher's run until they try it themselves. */
  following: boolean;
  /** The view the teacher shows (students' views follow it). */
  view: string | null;
  results: QuestionResults | null;
  forks: ForkPublic[];
  /** This student's answer per question id (so the form shows it). */
  answers: Record<string, string | number>;
  error: string | null;
  busy: boolean;
  /** Counts the teacher's steps through a lesson, so the teacher's page loads each step's setup. */
  stepped: number;
  /** How this page came into its room: a page that resumes its place leads with what it has now. */
  entered: "open" | "resume" | "join" | null;

  /** Teacher: open a room with this spec and its hint, or on the first step of lesson `lesson`. */
  open: (
    title: string,
    spec: RunSpec,
    options?: { lookAt?: string | null; lesson?: string },
  ) => Promise<void>;
  /** Save a lesson; the saved lesson (with its id), or null (the error says why). */
  saveLesson: (lesson: LessonCreate) => Promise<LessonPublic | null>;
  /** Teach a lesson from its first step: in this page's room, or a new room when it has none. */
  teachLesson: (id: string, spec: RunSpec) => Promise<void>;
  /** Teacher: show step `step` (from 0) of the room's lesson (or of lesson `id`). */
  goToStep: (step: number, id?: string) => Promise<void>;
  join: (code: string, name: string | null) => Promise<void>;
  resume: () => boolean;
  leave: () => void;
  patch: (patch: Parameters<RoomApi["patch"]>[2]) => Promise<void>;
  toggle: (kind: "locked" | "hidden", group: ControlGroup) => Promise<void>;
  ask: (question: QuestionCreate) => Promise<void>;
  setQuestion: (status: "closed" | "revealed", actual?: string | number | null) => Promise<void>;
  answer: (value: string | number) => Promise<void>;
  refreshResults: () => Promise<void>;
  refreshForks: () => Promise<void>;
  fork: (spec: RunSpec) => Promise<{ id: string; owner: string } | null>;
  setFollowing: (following: boolean) => void;
  setView: (view: string | null) => void;
  receive: (room: RoomState) => void;
}

export type ClassStore = StoreApi<ClassState>;

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function load(): Saved | null {
  try {
    const raw = window.sessionStorage.getItem(SAVED);
    return raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    return null;
  }
}

function save(saved: Saved | null): void {
  try {
    if (saved) window.sessionStorage.setItem(SAVED, JSON.stringify(saved));
    else window.sessionStorage.removeItem(SAVED);
  } catch {
    // private mode: the membership lasts until the tab reloads
  }
}

/** Something that delivers a room's states until closed (the websocket; a fake in tests). */
export type RoomFeed = (code: string, store: ClassStore) => { close(): void };

const roomSocket: RoomFeed = (code, s) =>
  new RoomSocket(code, { onState: (room) => s.getState().receive(room) });

export function createClassStore(api: ApiClient, makeSocket: RoomFeed = roomSocket): ClassStore {
  const rooms = new RoomApi(api);
  let socket: { close(): void } | null = null;

  const store = createStore<ClassState>()((set, get) => {
    const act = async <T>(fn: () => Promise<T>): Promise<T | null> => {
      set({ busy: true });
      try {
        const out = await fn();
        set({ error: null });
        return out;
      } catch (error) {
        set({ error: messageOf(error) });
        return null;
      } finally {
        set({ busy: false });
      }
    };

    const enter = (saved: Saved, how: "open" | "resume" | "join") => {
      save(saved);
      socket?.close();
      set({
        role: saved.role,
        code: saved.code,
        token: saved.token,
        alias: saved.alias,
        following: true,
        entered: how,
      });
      socket = makeSocket(saved.code, store);
      return rooms.state(saved.code).then(
        (room) => get().receive(room),
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 404) get().leave();
          set({ error: messageOf(error) });
        },
      );
    };

    const teacher = () => {
      const { role, code, token } = get();
      if (role !== "teacher" || !code || !token) throw new Error("only the teacher can do this");
      return { code, token };
    };

    const student = () => {
      const { role, code, token } = get();
      if (role !== "student" || !code || !token) throw new Error("join the class first");
      return { code, token };
    };

    return {
      role: null,
      code: null,
      token: null,
      alias: null,
      room: null,
      following: true,
      view: null,
      results: null,
      forks: [],
      answers: {},
      error: null,
      busy: false,
      stepped: 0,
      entered: null,

      open: async (title, spec, options = {}) => {
        const made = await act(() =>
          rooms.create(title, spec, { look_at: options.lookAt ?? null, lesson: options.lesson }),
        );
        if (!made) return;
        await enter({ role: "teacher", code: made.code, token: made.teacher_token, alias: null }, "open");
        // The room opened on the lesson's first step: the teacher's page loads it too.
        if (options.lesson && get().room?.lesson) set({ stepped: get().stepped + 1 });
      },

      saveLesson: (lesson) => act(() => rooms.createLesson(lesson)),

      teachLesson: async (id, spec) => {
        const lesson = await act(() => rooms.lesson(id));
        if (!lesson) return;
        if (get().role === "teacher") await get().goToStep(0, lesson.id);
        else {
          if (get().role === "student") get().leave();
          await get().open(lesson.title, spec, { lesson: lesson.id });
        }
      },

      goToStep: async (step, id) => {
        await act(async () => {
          const { code, token } = teacher();
          const lesson = id ?? get().room?.lesson?.id;
          if (!lesson) throw new Error("load a lesson first");
          const room = await rooms.goToStep(code, token, lesson, step);
          set({ results: null });
          get().receive(room);
          set({ stepped: get().stepped + 1 });
        });
      },

      join: async (code, name) => {
        const clean = code.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
        const joined = await act(() => rooms.join(clean, name));
        if (joined)
          void enter(
            { role: "student", code: clean, token: joined.student_token, alias: joined.alias },
            "join",
          );
      },

      resume: () => {
        const saved = load();
        if (!saved) return false;
        void enter(saved, "resume");
        return true;
      },

      leave: () => {
        socket?.close();
        socket = null;
        save(null);
        set({
          role: null,
          code: null,
          token: null,
          alias: null,
          room: null,
          results: null,
          forks: [],
          view: null,
          entered: null,
        });
      },

      patch: async (patch) => {
        await act(async () => {
          const { code, token } = teacher();
          get().receive(await rooms.patch(code, token, patch));
        });
      },

      toggle: async (kind, group) => {
        const now = new Set(get().room?.[kind] ?? []);
        if (now.has(group)) now.delete(group);
        else now.add(group);
        await get().patch({ [kind]: GROUPS.filter((g) => now.has(g)) });
      },

      ask: async (question) => {
        await act(async () => {
          const { code, token } = teacher();
          await rooms.ask(code, token, question);
          set({ results: null });
        });
      },

      setQuestion: async (status, actual = null) => {
        await act(async () => {
          const { code, token } = teacher();
          const qid = get().room?.question?.id;
          if (!qid) return;
          await rooms.setQuestion(code, token, qid, { status, actual });
          await get().refreshResults();
        });
      },

      answer: async (value) => {
        await act(async () => {
          const { code, token } = student();
          const qid = get().room?.question?.id;
          if (!qid) return;
          await rooms.answer(code, token, qid, value);
          set({ answers: { ...get().answers, [qid]: value } });
        });
      },

      refreshResults: async () => {
        const { code, token, role, room } = get();
        const q = room?.question;
        if (!code || !q || (role !== "teacher" && q.status !== "revealed")) return;
        const tokens = role === "teacher" ? { teacher: token } : {};
        try {
          set({ results: await rooms.results(code, tokens, q.id) });
        } catch (error) {
          set({ error: messageOf(error) });
        }
      },

      refreshForks: async () => {
        const { code, token, role } = get();
        if (role !== "teacher" || !code || !token) return;
        try {
          set({ forks: (await rooms.forks(code, token)).forks });
        } catch (error) {
          set({ error: messageOf(error) });
        }
      },

      fork: async (spec) =>
        act(async () => {
          const { code, token } = student();
          const run = await rooms.fork(code, token, spec);
          set({ following: false });
          return { id: run.id, owner: run.owner };
        }),

      setFollowing: (following) => set({ following }),
      setView: (view) => set({ view }),

      receive: (room) => {
        const before = get().room;
        if (before && before.code === room.code && (room.revision ?? 0) < (before.revision ?? 0)) return;
        set({ room, view: room.view ?? get().view });
        const q = room.question;
        const changed =
          q &&
          (q.id !== before?.question?.id ||
            q.status !== before?.question?.status ||
            q.answers !== before?.question?.answers);
        if (changed) void get().refreshResults();
        if (get().role === "teacher" && room.forks !== before?.forks) void get().refreshForks();
      },
    };
  });
  return store;
}

export function useClass<T>(store: ClassStore, selector: (s: ClassState) => T): T {
  return useStore(store, selector);
}
