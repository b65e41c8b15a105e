/**
 * Run histories → uPlot series and aligned columns for the loss and accuracy charts: one colour per
 * run, training solid and validation dashed, newest run drawn thickest.
 */
import { CATEGORICAL } from "../../charts/palette";
import type { LineSeries, Marker } from "../../charts/lineChart";
import type { RunHistory } from "../logic/runHistory";

type Cols = (number | null)[][];

export interface ChartData {
  series: LineSeries[];
  cols: Cols;
}

/** Metric column indices inside a RunHistory's SeriesRing (see METRICS). */
const COL = { loss: 1, val_loss: 2, accuracy: 3, val_accuracy: 4 } as const;

function hasData(col: (number | null)[] | undefined): boolean {
  return !!col && col.some((v) => v !== null);
}

export function chartData(runs: readonly RunHistory[], kind: "loss" | "accuracy"): ChartData {
  const trainKey = kind === "loss" ? COL.loss : COL.accuracy;
  const valKey = kind === "loss" ? COL.val_loss : COL.val_accuracy;
  const series: LineSeries[] = [];
  const tables: Cols[] = [];
  runs.forEach((run, i) => {
    const colour = CATEGORICAL[i % CATEGORICAL.length];
    const newest = i === runs.length - 1;
    const cols = run.series.columns();
    const name = runs.length > 1 ? `${run.label}` : "";
    const parts: (number | null)[][] = [];
    if (hasData(cols[trainKey])) {
      series.push({ label: `${name ? `${name}: ` : ""}train`, stroke: colour, width: newest ? 3 : 2 });
      parts.push(cols[trainKey]);
    }
    if (hasData(cols[valKey])) {
      series.push({
        label: `${name ? `${name}: ` : ""}validation`,
        stroke: colour,
        width: newest ? 3 : 2,
        dash: [8, 5],
      });
      parts.push(cols[valKey]);
    }
    if (parts.length) tables.push([cols[0], ...parts]);
  });
  if (tables.length === 0) return { series: [], cols: [[]] };
  // Runs log different steps; join aligns them on the union of steps (gaps are spanned).
  return { series, cols: tables.length === 1 ? tables[0] : joinTables(tables) };
}

/** Where early stopping would keep the weights: the lowest validation loss of the newest run. */
export function earlyStopMarkers(runs: readonly RunHistory[]): Marker[] {
  const run = runs[runs.length - 1];
  if (!run || run.bestStep === null) return [];
  return [
    {
      x: run.bestStep,
      label: `early-stopping point (best validation, step ${run.bestStep})`,
      colour: "#009E73",
    },
  ];
}

/**
 * Align several [x, y…] tables on the sorted union of their x values (uPlot needs one shared x column);
 * a table's series get null where it has no row at that x.
 */
export function joinTables(tables: readonly Cols[]): Cols {
  const xs = new Set<number>();
  for (const t of tables) for (const x of t[0]) if (x !== null) xs.add(x);
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const out: Cols = [x];
  for (const t of tables) {
    for (let s = 1; s < t.length; s++) {
      const col = new Array<number | null>(x.length).fill(null);
      for (let i = 0; i < t[0].length; i++) {
        const xi = t[0][i];
        if (xi !== null) col[index.get(xi) as number] = t[s][i];
      }
      out.push(col);
    }
  }
  return out;
}
