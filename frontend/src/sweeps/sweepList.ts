/**
 * A past sweep as one entry of the sweeps list: what its axes vary, in one line, and how far its
 * grid has come.
 */
import type { SweepAxis, SweepSummary } from "../net/api";
import { axisName, valueLabel, type SweepField } from "./fields";

const MAX_VALUES = 5;

/** "learning rate 0.03, 0.3 × h1: units 2, 4, 8": each axis by name with its values (long lists cut). */
export function axesLine(axes: readonly SweepAxis[], fields: readonly SweepField[] = []): string {
  return axes
    .map((a) => {
      const values = a.values.map(valueLabel);
      const shown =
        values.length > MAX_VALUES
          ? `${values.slice(0, MAX_VALUES - 1).join(", ")}, … (${values.length})`
          : values.join(", ");
      return `${axisName(a.pointer, fields)} ${shown}`;
    })
    .join(" × ");
}

/** "6 runs: 3 ended · 2 training · 1 queued" (only the parts that are not zero). */
export function progressLine(p: SweepSummary["progress"]): string {
  const parts = [
    p.ended ? `${p.ended} ended` : "",
    p.running ? `${p.running} training` : "",
    p.queued ? `${p.queued} queued` : "",
  ].filter(Boolean);
  const runs = `${p.total} run${p.total === 1 ? "" : "s"}`;
  return parts.length ? `${runs}: ${parts.join(" · ")}` : runs;
}
