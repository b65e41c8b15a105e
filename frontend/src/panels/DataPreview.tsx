/** A look at the data: a scatter for 2-D sets, a grid of images, or the first rows of a table. */
import { useEffect, useRef } from "react";
import { clearedContext } from "../charts/canvas";
import type { DataPreview as Preview } from "../net/api";
import { drawGreyImage } from "../charts/greyImage";

// Okabe–Ito: colour-blind-safe class colours; the first two are the TF-Playground-like pair.
export const CLASS_COLOURS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
];

function classIndex(label: number | string, labels: (number | string)[]): number {
  if (typeof label === "number" && Number.isInteger(label) && label >= 0) return label;
  return Math.max(0, labels.indexOf(label));
}

function Scatter({ preview, size = 260 }: { preview: Preview; size?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const pts = preview.points;
    if (!canvas || !pts) return;
    const ctx = clearedContext(canvas, size, size);
    if (!ctx) return;
    const [x0, x1] = preview.bounds?.x ?? [Math.min(...pts.x), Math.max(...pts.x)];
    const [y0, y1] = preview.bounds?.y ?? [Math.min(...pts.y), Math.max(...pts.y)];
    const pad = 8;
    const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (size - 2 * pad);
    const sy = (y: number) => size - pad - ((y - y0) / (y1 - y0 || 1)) * (size - 2 * pad);
    const distinct = [...new Set(pts.label)];
    const continuous = preview.task === "regression";
    const lo = continuous ? Math.min(...(pts.label as number[])) : 0;
    const hi = continuous ? Math.max(...(pts.label as number[])) : 1;
    ctx.strokeStyle = "#ddd";
    ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
    for (let i = 0; i < pts.x.length; i++) {
      const label = pts.label[i]!;
      let colour: string;
      if (continuous) {
        const t = ((label as number) - lo) / (hi - lo || 1);
        colour = `rgb(${Math.round(230 * t)}, ${Math.round(114 + 45 * t)}, ${Math.round(178 * (1 - t))})`;
      } else {
        colour = CLASS_COLOURS[classIndex(label, distinct) % CLASS_COLOURS.length]!;
      }
      ctx.beginPath();
      ctx.arc(sx(pts.x[i]!), sy(pts.y[i]!), 3.2, 0, 2 * Math.PI);
      if (pts.split[i] === "train") {
        ctx.fillStyle = colour;
        ctx.fill();
      } else {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    }
  }, [preview, size]);
  return (
    <canvas
      ref={ref}
      style={{ width: size, height: size }}
      aria-label="scatter plot of the data"
      data-testid="data-scatter"
    />
  );
}

function ImageTile({
  data,
  width,
  height,
  label,
}: {
  data: string;
  width: number;
  height: number;
  label: string | number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawGreyImage(ref.current, data, width, height);
  }, [data, width, height]);
  return (
    <figure className="image-tile">
      <canvas ref={ref} style={{ width: 56, height: 56, imageRendering: "pixelated" }} />
      <figcaption>{String(label)}</figcaption>
    </figure>
  );
}

export function DataPreviewView({ preview }: { preview: Preview }) {
  const summary = `${preview.n_train ?? "?"} training + ${preview.n_val ?? 0} validation examples · input [${(preview.input_shape ?? []).join(", ")}] · ${preview.task ?? ""}`;
  return (
    <div className="data-preview" data-testid="data-preview">
      <p className="hint">{summary}</p>
      {preview.kind === "points" && preview.points ? (
        <>
          <Scatter preview={preview} />
          <p className="hint">Filled: training points. Rings: validation points.</p>
        </>
      ) : null}
      {preview.kind === "images" && preview.images ? (
        <div className="image-grid">
          {preview.images.data.map((d, i) => (
            <ImageTile
              key={i}
              data={d}
              width={preview.images!.width}
              height={preview.images!.height}
              label={preview.images!.labels[i] ?? ""}
            />
          ))}
        </div>
      ) : null}
      {preview.kind === "table" && preview.table ? (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                {preview.table.columns.map((c, i) => (
                  <th key={i} className={i >= (preview.feature_names?.length ?? Infinity) ? "target" : ""}>
                    {c}
                  </th>
                ))}
                <th>split</th>
              </tr>
            </thead>
            <tbody>
              {preview.table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((v, c) => (
                    <td key={c}>{typeof v === "number" ? Number(v.toPrecision(4)) : String(v)}</td>
                  ))}
                  <td>{preview.table!.split[r]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {preview.kind === "sequences" && preview.sequences ? (
        <SequenceTable sequences={preview.sequences} />
      ) : null}
    </div>
  );
}

const SHOWN_STEPS = 12; // steps of each sequence written out; the rest is counted

/** A number short enough for a table cell. */
function cell(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** One step's values (one feature, or several joined) or a whole target. */
function values(v: number | number[]): string {
  return Array.isArray(v) ? v.map(cell).join(" ") : cell(v);
}

/** Sequence sets: each example's first steps, then its target (per step, or one for the sequence). */
function SequenceTable({ sequences }: { sequences: NonNullable<Preview["sequences"]> }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="sequence-preview">
        <thead>
          <tr>
            <th>inputs x₁ … x_T</th>
            <th className="target">target</th>
            <th>split</th>
          </tr>
        </thead>
        <tbody>
          {sequences.inputs.map((steps, r) => {
            const target = sequences.targets[r] ?? [];
            const more = steps.length > SHOWN_STEPS ? ` … (${steps.length} steps)` : "";
            return (
              <tr key={r}>
                <td>{steps.slice(0, SHOWN_STEPS).map(values).join(" | ") + more}</td>
                <td>
                  {Array.isArray(target[0])
                    ? `${(target as number[][]).length} steps`
                    : values(target as number[])}
                </td>
                <td>{sequences.split[r]}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
