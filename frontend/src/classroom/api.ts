/** The classroom REST calls (DESIGN.md "Classroom rooms"), on the app's ApiClient. */
import type { ApiClient, RunCreated } from "../net/api";
import type { RunSpec } from "../spec/types";
import type {
  ForkList,
  Joined,
  LessonCreate,
  LessonPublic,
  QuestionCreate,
  QuestionCreated,
  QuestionPublic,
  QuestionResults,
  QuestionUpdate,
  RoomCreated,
  RoomPatch,
  RoomState,
} from "../generated";

export type Tokens = { teacher?: string | null; student?: string | null };

function headers(tokens: Tokens): Record<string, string> {
  const out: Record<string, string> = {};
  if (tokens.teacher) out["X-Glassnet-Teacher"] = tokens.teacher;
  if (tokens.student) out["X-Glassnet-Student"] = tokens.student;
  return out;
}

const at = (code: string) => `/rooms/${encodeURIComponent(code)}`;

export class RoomApi {
  constructor(private readonly api: ApiClient) {}

  /** Open a room with the teacher's spec and its hint, or on the first step of a lesson. */
  create(
    title: string,
    spec: RunSpec | null,
    extra: { look_at?: string | null; lesson?: string } = {},
  ): Promise<RoomCreated> {
    return this.api.request("POST", "/rooms", { title, spec, ...extra });
  }

  state(code: string): Promise<RoomState> {
    return this.api.request("GET", at(code));
  }

  patch(code: string, teacher: string, patch: RoomPatch): Promise<RoomState> {
    return this.api.request("PATCH", at(code), patch, headers({ teacher }));
  }

  join(code: string, name: string | null): Promise<Joined> {
    return this.api.request("POST", `${at(code)}/join`, name ? { name } : {});
  }

  ask(code: string, teacher: string, question: QuestionCreate): Promise<QuestionCreated> {
    return this.api.request("POST", `${at(code)}/questions`, question, headers({ teacher }));
  }

  setQuestion(code: string, teacher: string, qid: string, update: QuestionUpdate): Promise<QuestionPublic> {
    return this.api.request(
      "PATCH",
      `${at(code)}/questions/${encodeURIComponent(qid)}`,
      update,
      headers({ teacher }),
    );
  }

  answer(code: string, student: string, qid: string, value: string | number): Promise<unknown> {
    return this.api.request(
      "POST",
      `${at(code)}/questions/${encodeURIComponent(qid)}/answers`,
      { value },
      headers({ student }),
    );
  }

  results(code: string, tokens: Tokens, qid: string): Promise<QuestionResults> {
    return this.api.request(
      "GET",
      `${at(code)}/questions/${encodeURIComponent(qid)}`,
      undefined,
      headers(tokens),
    );
  }

  fork(code: string, student: string, spec: RunSpec | null): Promise<RunCreated> {
    return this.api.request("POST", `${at(code)}/forks`, { spec, start: true }, headers({ student }));
  }

  createLesson(lesson: LessonCreate): Promise<LessonPublic> {
    return this.api.request("POST", "/lessons", lesson);
  }

  lesson(id: string): Promise<LessonPublic> {
    return this.api.request("GET", `/lessons/${encodeURIComponent(id)}`);
  }

  /** Teacher: show step `step` (from 0) of a lesson to the class. */
  goToStep(code: string, teacher: string, lesson: string, step: number): Promise<RoomState> {
    return this.api.request("PUT", `${at(code)}/lesson`, { lesson, step }, headers({ teacher }));
  }

  forks(code: string, teacher: string): Promise<ForkList> {
    return this.api.request("GET", `${at(code)}/forks`, undefined, headers({ teacher }));
  }
}
