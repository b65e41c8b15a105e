/** The teacher builds a lesson in the Class tab: steps from the editor's network or a preset, each
 * with an optional question and note; reorder, remove, save → a link that opens it in a room. */
import { useState } from "react";
import type { LessonStep } from "../generated";
import { useCatalogStore, useSpecStore, useStores } from "../store/context";
import {
  EDITOR,
  emptyStepForm,
  formProblem,
  lessonFromSearch,
  lessonLink,
  moveStep,
  removeStep,
  stepFromForm,
  stepSummary,
  type StepForm,
} from "./lesson";
import { useClass, type ClassStore } from "./store";
import { OptionsField, TextField } from "./TextField";

export function LessonBuilder({ cls }: { cls: ClassStore }) {
  const { specs } = useStores();
  const presets = useCatalogStore((s) => s.presets);
  const specTitle = useSpecStore((s) => s.title);
  const busy = useClass(cls, (s) => s.busy);
  const [title, setTitle] = useState("");
  const [steps, setSteps] = useState<LessonStep[]>([]);
  const [form, setForm] = useState<StepForm>(emptyStepForm);
  const [saved, setSaved] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const edit = (patch: Partial<StepForm>) => setForm((f) => ({ ...f, ...patch }));
  const presetTitle = (id: string) => presets.find((p) => p.id === id)?.title || id;
  const problem = formProblem(form);

  const add = () => {
    const fallback =
      form.source === EDITOR ? (specTitle ?? `Step ${steps.length + 1}`) : presetTitle(form.source);
    setSteps([...steps, stepFromForm(form, specs.getState().spec(), fallback)]);
    setForm({ ...emptyStepForm(), source: form.source });
    setSaved(null);
  };
  const save = async () => {
    const lesson = await cls.getState().saveLesson({ title: title.trim() || "Lesson", steps });
    if (lesson) setSaved(lesson.id);
  };
  const teach = (id: string) => void cls.getState().teachLesson(id, specs.getState().spec());
  const typedId =
    lessonFromSearch(typed.includes("?") ? typed.slice(typed.indexOf("?")) : "") ??
    (/^[A-Za-z0-9_-]{1,32}$/.test(typed.trim()) ? typed.trim() : null);

  return (
    <details className="class-card lesson-builder" data-testid="lesson-builder">
      <summary>
        <strong>Lessons</strong>: a sequence of networks and questions to step through
      </summary>
      <h3 className="lesson-builder-head">Teach a saved lesson</h3>
      <div className="class-row">
        <input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder="a lesson's link or id"
          aria-label="lesson link or id"
        />
        <button disabled={busy || !typedId} onClick={() => typedId && teach(typedId)}>
          Teach it
        </button>
      </div>
      <h3 className="lesson-builder-head">Build a lesson</h3>
      <TextField
        label="lesson title"
        value={title}
        onChange={setTitle}
        placeholder="Backprop, week 3"
        name="lesson title"
        maxLength={120}
      />
      {steps.length ? (
        <ol className="lesson-steps" data-testid="lesson-steps">
          {steps.map((s, i) => (
            <li key={i}>
              <div className="lesson-step-row">
                <span>
                  {s.title}
                  <br />
                  <span className="lesson-step-summary">{stepSummary(s, presetTitle)}</span>
                </span>
                <button
                  className="link"
                  aria-label={`move step ${i + 1} up`}
                  disabled={i === 0}
                  onClick={() => setSteps(moveStep(steps, i, -1))}
                >
                  ↑
                </button>
                <button
                  className="link"
                  aria-label={`move step ${i + 1} down`}
                  disabled={i === steps.length - 1}
                  onClick={() => setSteps(moveStep(steps, i, 1))}
                >
                  ↓
                </button>
                <button
                  className="link"
                  aria-label={`remove step ${i + 1}`}
                  onClick={() => setSteps(removeStep(steps, i))}
                >
                  ✕
                </button>
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">No steps yet: add the network in the editor, or a preset.</p>
      )}
      <fieldset className="lesson-add">
        <legend>Add a step</legend>
        <label className="field">
          <span>loads</span>
          <select
            value={form.source}
            onChange={(e) => edit({ source: e.target.value })}
            aria-label="step loads"
            data-testid="lesson-source"
          >
            <option value={EDITOR}>the network in the editor now</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                preset: {p.title || p.id}
              </option>
            ))}
          </select>
        </label>
        <TextField
          label="step title"
          value={form.title}
          onChange={(v) => edit({ title: v })}
          placeholder={form.source === EDITOR ? (specTitle ?? "") : presetTitle(form.source)}
          name="step title"
          maxLength={120}
        />
        <label className="field">
          <span>question</span>
          <select
            value={form.questionKind}
            onChange={(e) => edit({ questionKind: e.target.value as StepForm["questionKind"] })}
            aria-label="step question kind"
          >
            <option value="none">none</option>
            <option value="choice">choice</option>
            <option value="number">number</option>
          </select>
        </label>
        {form.questionKind !== "none" ? (
          <TextField
            label="asks"
            value={form.prompt}
            onChange={(v) => edit({ prompt: v })}
            placeholder="Will the loss go down?"
            name="step question"
            maxLength={300}
          />
        ) : null}
        {form.questionKind === "choice" ? (
          <OptionsField name="step options" value={form.options} onChange={(v) => edit({ options: v })} />
        ) : null}
        <TextField
          label="note for the class"
          value={form.note}
          onChange={(v) => edit({ note: v })}
          placeholder="Watch the boundary bend."
          name="step note"
          maxLength={500}
        />
        {problem ? <p className="hint">{problem}</p> : null}
        <button onClick={add} disabled={problem !== null} data-testid="lesson-add-step">
          Add step {steps.length + 1}
        </button>
      </fieldset>
      <div className="class-row">
        <button
          className="primary"
          disabled={busy || steps.length === 0}
          onClick={() => void save()}
          data-testid="lesson-save"
        >
          Save the lesson
        </button>
      </div>
      {saved ? (
        <div className="lesson-saved" data-testid="lesson-saved">
          <p className="hint">Open it in any browser to teach it:</p>
          <p className="class-link" data-testid="lesson-link">
            {lessonLink(window.location.origin, saved)}
          </p>
          <button onClick={() => teach(saved)} data-testid="lesson-teach">
            Teach it now
          </button>
        </div>
      ) : null}
    </details>
  );
}
