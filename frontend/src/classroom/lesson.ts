/**
 * Lessons in the app: building one (steps added from the editor's network or a preset, reordered,
 * removed), its link, and where the class is in it ("Step k of n"). Pure functions; the builder and
 * the room's lesson card call them.
 */
import type { LessonPosition, LessonStep, QuestionCreate } from "../generated";
import type { RunSpec } from "../spec/types";

/** What the teacher fills in to add a step. `source` is "editor" (the network as it is now) or a preset's id. */
export interface StepForm {
  source: string;
  title: string;
  questionKind: "none" | "choice" | "number";
  prompt: string;
  /** One option a line (a choice question). */
  options: string;
  note: string;
}

export const EDITOR = "editor";

export function emptyStepForm(): StepForm {
  return { source: EDITOR, title: "", questionKind: "none", prompt: "", options: "yes\nno", note: "" };
}

/** The question a form asks, or null when it asks none (or its prompt is empty). */
export function questionOf(form: StepForm): QuestionCreate | null {
  const prompt = form.prompt.trim();
  if (form.questionKind === "none" || !prompt) return null;
  if (form.questionKind === "number") return { kind: "number", prompt, options: [] };
  const options = form.options
    .split("\n")
    .map((o) => o.trim())
    .filter(Boolean);
  return { kind: "choice", prompt, options };
}

/** What is wrong with a form, so the Add button can say it (null when it can be added). */
export function formProblem(form: StepForm): string | null {
  const q = questionOf(form);
  if (form.questionKind !== "none" && !q) return "Write the question, or choose no question.";
  if (q?.kind === "choice" && (q.options ?? []).length < 2) return "A choice question needs two options.";
  return null;
}

/** A lesson step from the form: the editor's spec as it is now, or the preset by id. */
export function stepFromForm(form: StepForm, spec: RunSpec, fallbackTitle: string): LessonStep {
  const step: LessonStep = { title: form.title.trim() || fallbackTitle };
  if (form.source === EDITOR) step.spec = spec as unknown as Record<string, unknown>;
  else step.preset = form.source;
  const question = questionOf(form);
  if (question) step.question = question;
  if (form.note.trim()) step.note = form.note.trim();
  return step;
}

/** The steps with step `i` moved by `delta` places (unchanged when it would leave the list). */
export function moveStep<T>(steps: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= steps.length || j < 0 || j >= steps.length) return [...steps];
  const out = [...steps];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

export function removeStep<T>(steps: readonly T[], i: number): T[] {
  return steps.filter((_, k) => k !== i);
}

/** The link that opens a lesson in the app as the teacher of a room. */
export function lessonLink(origin: string, id: string): string {
  return `${origin}/?lesson=${encodeURIComponent(id)}`;
}

/** The lesson a link names (`?lesson=ID`), else null. */
export function lessonFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get("lesson");
  return id && /^[A-Za-z0-9_-]{1,32}$/.test(id) ? id : null;
}

/** "Step 2 of 5: Vanishing gradients" (steps counted from 1 for people). */
export function stepLabel(pos: Pick<LessonPosition, "step" | "steps" | "step_title">): string {
  return `Step ${pos.step + 1} of ${pos.steps}: ${pos.step_title}`;
}

/** The steps Previous and Next go to (null at either end). */
export function neighbours(pos: Pick<LessonPosition, "step" | "steps">): {
  previous: number | null;
  next: number | null;
} {
  return {
    previous: pos.step > 0 ? pos.step - 1 : null,
    next: pos.step + 1 < pos.steps ? pos.step + 1 : null,
  };
}

/** A one-line summary of a step for the builder's list. */
export function stepSummary(step: LessonStep, presetTitle: (id: string) => string): string {
  const setup = step.preset ? `preset: ${presetTitle(step.preset)}` : "the network as saved";
  const q = step.question ? ` · asks “${step.question.prompt}”` : "";
  return `${setup}${q}`;
}
