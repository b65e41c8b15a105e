/**
 * The x axis of charts over training steps or epochs. Steps are whole numbers, so the axis offers uPlot
 * only whole tick spacings (1, 2, 5 × 10^k): however far one zooms, no tick lands at 2.5.
 */

/** Tick spacings for uPlot's `incrs`: 1, 2, 5, 10, 20, 50, … up to 5·10^12. */
export const STEP_INCRS: readonly number[] = Array.from({ length: 13 }, (_, k) =>
  [1, 2, 5].map((m) => m * 10 ** k),
).flat();

/** Tick labels for uPlot's `values`: whole steps with thousands separators; anything else is left blank. */
export function stepTickLabels(splits: readonly number[]): string[] {
  return splits.map((v) => (Number.isInteger(v) ? v.toLocaleString("en-US") : ""));
}

/** The ticks uPlot draws for the range [min, max] with spacing `incr` (multiples of it, inside the range). */
export function stepSplits(min: number, max: number, incr: number): number[] {
  const out: number[] = [];
  for (let v = Math.ceil(min / incr) * incr; v <= max; v += incr) out.push(v);
  return out;
}
