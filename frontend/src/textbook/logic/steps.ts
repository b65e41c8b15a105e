/**
 * The stepper of textbook mode: one iteration of batch gradient descent, walked the way the book does
 * it. Stages run idle → forward through layer 0 … L−1 → backward through layer L−1 … 0 → update.
 * The chosen example (d1, d2, …) is independent of the stage: the diagram shows that example's numbers
 * at the stage reached, the tables show every example.
 */

export type Stage =
  | { kind: "idle" }
  | { kind: "forward"; layer: number }
  | { kind: "backward"; layer: number }
  | { kind: "updated" };

export interface StepState {
  stage: Stage;
  example: number;
  nLayers: number;
  nExamples: number;
}

export type StepAction =
  "forward" | "backward" | "update" | "undo" | "finish" | "nextExample" | "prevExample" | "reset";

export function initialStep(nLayers: number, nExamples: number): StepState {
  return { stage: { kind: "idle" }, example: 0, nLayers, nExamples };
}

/**
 * Where the walk is, independent of the network it walks: the stage index (0 = idle … 2L+1 = updated,
 * see stageIndex) and the example. This is what the store and the shareable URL keep.
 */
export interface Place {
  stage: number;
  example: number;
}

export const START: Place = { stage: 0, example: 0 };

export function placeOf(s: StepState): Place {
  return { stage: stageIndex(s.stage, s.nLayers), example: s.example };
}

/** The step state at `place` for a network of this size; a place from an old link is clamped into range. */
export function stepAt(place: Place, nLayers: number, nExamples: number): StepState {
  const clamp = (v: number, hi: number) => Math.min(Math.max(0, Math.trunc(v) || 0), Math.max(0, hi));
  return {
    stage: stageAt(clamp(place.stage, 2 * nLayers + 1), nLayers),
    example: clamp(place.example, nExamples - 1),
    nLayers,
    nExamples,
  };
}

/** Position of a stage in the walk: 0 = idle … 2L+1 = updated. */
export function stageIndex(stage: Stage, nLayers: number): number {
  switch (stage.kind) {
    case "idle":
      return 0;
    case "forward":
      return 1 + stage.layer;
    case "backward":
      return 1 + nLayers + (nLayers - 1 - stage.layer);
    case "updated":
      return 2 * nLayers + 1;
  }
}

export function stageAt(index: number, nLayers: number): Stage {
  if (index <= 0) return { kind: "idle" };
  if (index <= nLayers) return { kind: "forward", layer: index - 1 };
  if (index <= 2 * nLayers) return { kind: "backward", layer: 2 * nLayers - index };
  return { kind: "updated" };
}

export function canStep(s: StepState, action: StepAction): boolean {
  const i = stageIndex(s.stage, s.nLayers);
  const L = s.nLayers;
  if (L === 0) return false;
  switch (action) {
    case "forward":
      return i < L;
    case "backward":
      return i >= L && i < 2 * L;
    case "update":
      return i === 2 * L;
    case "undo":
    case "reset":
      return i > 0;
    case "finish":
      return i < 2 * L + 1;
    case "nextExample":
    case "prevExample":
      return s.nExamples > 1;
  }
}

export function step(s: StepState, action: StepAction): StepState {
  if (!canStep(s, action)) return s;
  const i = stageIndex(s.stage, s.nLayers);
  switch (action) {
    case "forward":
    case "backward":
    case "update":
      return { ...s, stage: stageAt(i + 1, s.nLayers) };
    case "undo":
      return { ...s, stage: stageAt(i - 1, s.nLayers) };
    case "finish":
      return { ...s, stage: { kind: "updated" } };
    case "reset":
      return { ...s, stage: { kind: "idle" } };
    case "nextExample":
      return { ...s, example: (s.example + 1) % s.nExamples };
    case "prevExample":
      return { ...s, example: (s.example - 1 + s.nExamples) % s.nExamples };
  }
}

/** What of layer `layer` the walk has revealed: z and a (forward), δ and gradients (backward), W after. */
export function reached(
  s: StepState,
  layer: number,
): { forward: boolean; backward: boolean; updated: boolean } {
  const i = stageIndex(s.stage, s.nLayers);
  return {
    forward: i >= 1 + layer,
    backward: i >= 1 + s.nLayers + (s.nLayers - 1 - layer),
    updated: i === 2 * s.nLayers + 1,
  };
}

/** The layer the last step touched (highlighted), or null when idle / updated. */
export function activeLayer(s: StepState): number | null {
  return s.stage.kind === "forward" || s.stage.kind === "backward" ? s.stage.layer : null;
}

/** Whether the errors at the output (t − a, ∂E/∂a) are known: after the forward pass. */
export function outputKnown(s: StepState): boolean {
  return stageIndex(s.stage, s.nLayers) >= s.nLayers;
}

const FORWARD_WHAT: Record<string, string> = {
  dense: "z = W·a + b, a = φ(z).",
  conv2d: "every cell is a neuron: z = Σ w·x + b over its patch with the shared filter, a = φ(z).",
  maxpool2d: "each window keeps its largest value.",
  avgpool2d: "each window keeps its mean.",
  flatten: "the maps become one vector, row by row.",
  rnn: "step by step, z_t = W_hh·h_{t−1} + W_hx·x_t + b and h_t = φ(z_t), h_0 = 0.",
  lstm: "step by step, the forget, input and output gates and the candidate give c_t and h_t.",
  gru: "step by step, the reset and update gates and the candidate give h_t.",
};

const BACKWARD_WHAT: Record<string, string> = {
  dense: "δ = ∂E/∂a · ∂a/∂z, ∂E/∂w = δ · a.",
  conv2d: "δ per cell, and the shared filter's gradient summed over the cells.",
  maxpool2d: "each δ goes to its window's winner only.",
  avgpool2d: "each δ is shared equally over its window.",
  flatten: "the vector of ∂E/∂a is folded back into maps.",
  rnn: "δ_t from the last step back to the first (BPTT); each step adds its own ∂E/∂W_hh and ∂E/∂W_hx.",
  lstm: "δ of every gate from the last step back to the first (BPTT), summed into each gate's ∂E/∂W.",
  gru: "δ of every gate from the last step back to the first (BPTT), summed into each gate's ∂E/∂W.",
};

/** A sentence saying where the walk is, for the status line and screen readers. */
export function describeStage(
  s: StepState,
  layerNames: readonly string[],
  kinds: readonly string[] = [],
  update = "w ← w − α·Δw",
): string {
  const name = (l: number) => layerNames[l] ?? `layer ${l + 1}`;
  const kind = (l: number) => kinds[l] ?? "dense";
  switch (s.stage.kind) {
    case "idle":
      return "Ready: the inputs are set. Step forward to compute z and a layer by layer.";
    case "forward":
      return s.stage.layer === s.nLayers - 1
        ? `Forward pass done (${name(s.stage.layer)}): predictions and errors are known. Step backward to compute δ.`
        : `Forward through ${name(s.stage.layer)}: ${FORWARD_WHAT[kind(s.stage.layer)] ?? ""}`;
    case "backward":
      return s.stage.layer === 0
        ? `Backward through ${name(0)}: every δ and gradient is known. Apply the update.`
        : `Backward through ${name(s.stage.layer)}: ${BACKWARD_WHAT[kind(s.stage.layer)] ?? ""}`;
    case "updated":
      return `Updated: ${update} with Δw summed over the batch; the loss after the step is shown.`;
  }
}
