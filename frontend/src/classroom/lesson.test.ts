import { describe, expect, it } from "vitest";
import type { RunSpec } from "../spec/types";
import {
  EDITOR,
  emptyStepForm,
  formProblem,
  lessonFromSearch,
  lessonLink,
  moveStep,
  neighbours,
  questionOf,
  removeStep,
  stepFromForm,
  stepLabel,
} from "./lesson";

const SPEC = { version: 1, network: { nodes: [] }, data: { dataset: "xor" } } as unknown as RunSpec;

describe("building a lesson", () => {
  it("a step from the editor saves the editor's spec, the form's note and no question", () => {
    const step = stepFromForm({ ...emptyStepForm(), note: "  Watch the boundary. " }, SPEC, "XOR");
    expect(step).toEqual({ title: "XOR", spec: SPEC, note: "Watch the boundary." });
  });

  it("a step from a preset saves the preset's id and the question asked", () => {
    const form = {
      ...emptyStepForm(),
      source: "xor-2-2-1",
      title: "Hidden layer",
      questionKind: "choice" as const,
      prompt: "Will the loss go down?",
      options: "yes\n\n no \n",
    };
    expect(stepFromForm(form, SPEC, "ignored")).toEqual({
      title: "Hidden layer",
      preset: "xor-2-2-1",
      question: { kind: "choice", prompt: "Will the loss go down?", options: ["yes", "no"] },
    });
  });

  it("a number question takes no options", () => {
    const form = { ...emptyStepForm(), questionKind: "number" as const, prompt: "Accuracy?" };
    expect(questionOf(form)).toEqual({ kind: "number", prompt: "Accuracy?", options: [] });
  });

  it("says why a step cannot be added yet", () => {
    expect(formProblem(emptyStepForm())).toBeNull();
    expect(formProblem({ ...emptyStepForm(), questionKind: "number" })).toMatch(/Write the question/);
    const oneOption = { ...emptyStepForm(), questionKind: "choice" as const, prompt: "?", options: "yes" };
    expect(formProblem(oneOption)).toMatch(/two options/);
  });

  it("moves a step up or down and leaves the list as it is at either end", () => {
    expect(moveStep(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveStep(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveStep(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveStep(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
  });

  it("removes one step", () => {
    expect(removeStep(["a", "b", "c"], 1)).toEqual(["a", "c"]);
  });

  it("the editor is the default source", () => {
    expect(emptyStepForm().source).toBe(EDITOR);
  });
});

describe("a lesson's link and position", () => {
  it("the link opens the lesson and the app reads it back", () => {
    const link = lessonLink("https://glassnet.example", "aB3dE9xY");
    expect(link).toBe("https://glassnet.example/?lesson=aB3dE9xY");
    expect(lessonFromSearch(new URL(link).search)).toBe("aB3dE9xY");
  });

  it("ignores a link without a lesson or with a malformed id", () => {
    expect(lessonFromSearch("?room=K4TXRA")).toBeNull();
    expect(lessonFromSearch("?lesson=a%20b")).toBeNull();
  });

  it("counts steps from 1 for people", () => {
    expect(stepLabel({ step: 0, steps: 2, step_title: "XOR" })).toBe("Step 1 of 2: XOR");
  });

  it("Previous and Next stop at the lesson's ends", () => {
    expect(neighbours({ step: 0, steps: 2 })).toEqual({ previous: null, next: 1 });
    expect(neighbours({ step: 1, steps: 2 })).toEqual({ previous: 0, next: null });
    expect(neighbours({ step: 1, steps: 3 })).toEqual({ previous: 0, next: 2 });
  });
});
