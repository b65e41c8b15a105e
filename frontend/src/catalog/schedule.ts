/** The learning rate a schedule gives at each epoch (same formulas as the engine). Pure. */
import type { ScheduleSpec } from "../spec/types";

export function lrAt(schedule: ScheduleSpec | undefined, lr0: number, epoch: number, epochs: number): number {
  const s = schedule ?? {};
  switch (s.kind ?? "constant") {
    case "constant":
      return lr0;
    case "inverse_time":
      return lr0 / (1 + (s.decay ?? 0) * epoch);
    case "step":
      return lr0 * (s.gamma ?? 0.5) ** Math.floor(epoch / Math.max(1, s.step_size ?? 100));
    case "exponential":
      return lr0 * (s.gamma ?? 0.5) ** epoch;
    case "cosine": {
      const tMax = Math.max(1, s.t_max ?? epochs);
      const min = s.min_lr ?? 0;
      return min + ((lr0 - min) * (1 + Math.cos((Math.PI * Math.min(epoch, tMax)) / tMax))) / 2;
    }
  }
}

export function scheduleCurve(
  schedule: ScheduleSpec | undefined,
  lr0: number,
  epochs: number,
  points = 120,
): { epoch: number[]; lr: number[] } {
  const epoch: number[] = [];
  const lr: number[] = [];
  const n = Math.max(2, Math.min(points, epochs + 1));
  for (let i = 0; i < n; i++) {
    const e = Math.round((epochs * i) / (n - 1));
    epoch.push(e);
    lr.push(lrAt(schedule, lr0, e, epochs));
  }
  return { epoch, lr };
}
