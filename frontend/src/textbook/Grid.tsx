/**
 * A grid of numbers drawn as SVG cells: images (0 = white, 255 = black ink, as the slides draw them),
 * filters and feature maps. Padding pixels are hatched; a rectangle can outline a receptive field or a
 * pooling window; cells can be marked (winner, visited, routed δ).
 */
import { formatNumber, type Precision, type BookQuantity } from "./logic/format";

export type Mark = "winner" | "current" | "routed" | "dim" | "hidden";

interface GridProps {
  values: readonly (readonly (number | null)[])[];
  cell: number;
  precision: Precision;
  quantity?: BookQuantity;
  /** draw the values as an image (grey levels) */
  image?: boolean;
  isPadding?: (r: number, c: number) => boolean;
  marks?: (r: number, c: number) => Mark | null;
  /** outline rows r0..r1, cols c0..c1 (inclusive) */
  outline?: { r0: number; c0: number; r1: number; c1: number } | null;
  /** thin separators every n cells (pooling windows) */
  blocks?: [number, number] | null;
  label?: string;
  testId?: string;
  onCellClick?: (r: number, c: number) => void;
}

function ink(v: number, max: number): string {
  const t = Math.max(0, Math.min(1, v / max));
  const g = Math.round(255 - 225 * t);
  return `rgb(${g},${g},${g})`;
}

/** The separators every `every` cells along one direction: between rows (horizontal lines of
 * `length`) or between columns (vertical ones). */
function blockLines(between: "rows" | "cols", cells: number, every: number, cell: number, length: number) {
  return Array.from({ length: Math.floor(cells / every) + 1 }, (_, i) => {
    const at = i * every * cell;
    const [x1, x2, y1, y2] = between === "rows" ? [0, length, at, at] : [at, at, 0, length];
    return <line key={`${between}${i}`} x1={x1} x2={x2} y1={y1} y2={y2} className="tb-block" />;
  });
}

export function Grid({
  values,
  cell,
  precision,
  quantity = "pixel",
  image,
  isPadding,
  marks,
  outline,
  blocks,
  label,
  testId,
  onCellClick,
}: GridProps) {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const w = cols * cell;
  const h = rows * cell;
  const max = image ? Math.max(1, ...values.flat().map((v) => v ?? 0)) : 1;
  const texts = values.map((row) => row.map((v) => formatNumber(v, precision, quantity, true)));
  const longest = Math.max(1, ...texts.flat().map((t) => t.length));
  // Large numerals, but never wider than the cell (digits are about 0.62 em).
  const font = Math.max(10, Math.min(18, cell * 0.36, (cell - 6) / (longest * 0.62)));
  return (
    <figure className="tb-grid" data-testid={testId}>
      {label ? <figcaption>{label}</figcaption> : null}
      <svg width={w + 2} height={h + 2} viewBox={`-1 -1 ${w + 2} ${h + 2}`}>
        <defs>
          <pattern
            id="tb-hatch"
            width="8"
            height="8"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="8" height="8" fill="#eceff3" />
            <line x1="0" y1="0" x2="0" y2="8" stroke="#9aa4b1" strokeWidth="3" />
          </pattern>
        </defs>
        {values.map((row, r) =>
          row.map((v, c) => {
            const pad = isPadding?.(r, c) ?? false;
            const mark = marks?.(r, c) ?? null;
            const fill = pad ? "url(#tb-hatch)" : image && v !== null ? ink(v, max) : "#fff";
            const dark = image && !pad && v !== null && v / max > 0.5;
            return (
              <g
                key={`${r}-${c}`}
                className={`tb-gcell${mark ? ` ${mark}` : ""}${pad ? " padding" : ""}`}
                data-testid={testId ? `${testId}-${r}-${c}` : undefined}
                data-padding={pad ? "true" : undefined}
                onClick={onCellClick ? () => onCellClick(r, c) : undefined}
              >
                <rect x={c * cell} y={r * cell} width={cell} height={cell} fill={fill} />
                {mark === "hidden" ? null : (
                  <text
                    x={c * cell + cell / 2}
                    y={r * cell + cell / 2 + font * 0.36}
                    textAnchor="middle"
                    fontSize={font}
                    className={dark ? "on-dark" : undefined}
                  >
                    {texts[r]![c]}
                  </text>
                )}
              </g>
            );
          }),
        )}
        {blocks
          ? [...blockLines("rows", rows, blocks[0], cell, w), ...blockLines("cols", cols, blocks[1], cell, h)]
          : null}
        {outline ? (
          <rect
            className="tb-outline"
            x={outline.c0 * cell}
            y={outline.r0 * cell}
            width={(outline.c1 - outline.c0 + 1) * cell}
            height={(outline.r1 - outline.r0 + 1) * cell}
          />
        ) : null}
      </svg>
    </figure>
  );
}
