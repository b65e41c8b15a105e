/**
 * The predictions of a network with sequence outputs [T, out]: each example's target and predicted
 * sequence (the first output per step), or, for the character model, the text it should have written
 * and the text it predicts character by character. Pure, so the rules are unit-tested.
 */
import type { LiveFrame } from "../../wire/frame";

export interface SequenceCurve {
  index: number;
  target: (number | null)[];
  predicted: (number | null)[];
}

export interface TextLine {
  index: number;
  target: string;
  predicted: string;
  /** per character of `predicted`: whether it equals the target's character at that step */
  right: boolean[];
}

export interface SequenceModel {
  curves: SequenceCurve[];
  text: TextLine[] | null;
}

/** How many examples the chart overlays before it stops being readable. */
export const MAX_CURVES = 3;

function finite(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The frame's sequence predictions, or null when the network's outputs are not sequences. */
export function sequenceModel(frame: LiveFrame | null | undefined): SequenceModel | null {
  const seq = frame?.predictions?.sequence;
  if (!seq) return null;
  const curves = seq.examples.slice(0, MAX_CURVES).map((e) => ({
    index: e.index,
    target: Array.from(e.target, finite),
    predicted: Array.from(e.predicted, finite),
  }));
  const text =
    seq.text?.map((t) => ({
      index: t.index,
      target: t.target,
      predicted: t.predicted,
      right: Array.from(t.predicted, (ch, i) => ch === t.target[i]),
    })) ?? null;
  return { curves, text };
}

/** uPlot columns [t, target₀, predicted₀, target₁, …] over t = 1 … T (the longest sequence). */
export function sequenceColumns(curves: readonly SequenceCurve[]): (number | null)[][] {
  const steps = Math.max(0, ...curves.map((c) => Math.max(c.target.length, c.predicted.length)));
  const t = Array.from({ length: steps }, (_, i) => i + 1);
  const cols: (number | null)[][] = [t];
  for (const c of curves) {
    cols.push(t.map((_, i) => c.target[i] ?? null));
    cols.push(t.map((_, i) => c.predicted[i] ?? null));
  }
  return cols;
}
