/**
 * Where the textbook diagram puts each neuron: one column per layer (inputs first), each neuron a card
 * (its number, then z, a, δ), cards spread evenly down the column; the bias input ("+1", neuron 0)
 * above each source column. Edges run from a card's right side to the next card's left side.
 */

export interface NeuronPos {
  neuron: number;
  /** -1 for the inputs, else the layer index */
  layer: number;
  unit: number;
  /** card's left edge and vertical centre */
  x: number;
  y: number;
  /** vertical room of this neuron's slot in its column */
  room: number;
  /** card width */
  w: number;
}

export interface DiagramLayout {
  neurons: NeuronPos[];
  /** bias node of the sources feeding layer l (index l): centre */
  biases: { layer: number; x: number; y: number }[];
  card: { width: number; height: number };
  /** horizontal room between a card and the next column's cards */
  gap: number;
  /** false when cards do not fit: draw small numbered circles instead */
  cards: boolean;
}

/** Card width: wider (and larger type) when the diagram has room; input cards only hold x. */
export function cardWidth(width: number, input: boolean): number {
  if (input) return width >= 1000 ? 96 : 60;
  return width >= 1000 ? 130 : 100;
}
const TOP = 52;
const MARGIN = 8;

/** Header of a card (its number badge) and the tightest line spacing still readable. */
export const CARD_HEADER = 28;
export const MIN_LINE = 14.5;
export const MAX_LINE = 19;

/** Line spacing for a card with `lines` value lines in a slot of height `room`. */
export function lineHeight(room: number, lines: number): number {
  return Math.max(MIN_LINE, Math.min(MAX_LINE, (room - 6 - CARD_HEADER - 4) / Math.max(1, lines)));
}

/**
 * `lines[c]` is the most value lines a card of column c shows (inputs 1: x; the others 3: z, a, δ). Cards are used when every column's cards fit at the tightest spacing.
 */
export function diagramLayout(
  columns: readonly number[][],
  width: number,
  height: number,
  lines: readonly number[] = columns.map((_, c) => (c === 0 ? 1 : 3)),
): DiagramLayout {
  const n = columns.length;
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const usable = Math.max(40, height - TOP - MARGIN);
  const cards =
    tallest <= 8 &&
    columns.every((col, c) => usable / col.length - 6 >= CARD_HEADER + 4 + (lines[c] ?? 3) * MIN_LINE);
  const widths = columns.map((_, ci) => (cards ? cardWidth(width, ci === 0) : 36));
  const total = widths.reduce((a, b) => a + b, 0);
  const gap = n > 1 ? (width - 2 * MARGIN - total) / (n - 1) : 0;
  const lefts = widths.map((_, ci) => MARGIN + widths.slice(0, ci).reduce((a, b) => a + b, 0) + gap * ci);
  const neurons: NeuronPos[] = [];
  columns.forEach((col, ci) => {
    const step = usable / col.length;
    col.forEach((neuron, unit) =>
      neurons.push({
        neuron,
        layer: ci - 1,
        unit,
        x: lefts[ci]!,
        y: TOP + step * (unit + 0.5),
        room: step,
        w: widths[ci]!,
      }),
    );
  });
  const biases = columns.slice(0, -1).map((_, ci) => ({ layer: ci, x: lefts[ci]! + widths[ci]! / 2, y: 22 }));
  return {
    neurons,
    biases,
    card: { width: widths[1] ?? widths[0] ?? 36, height: usable / tallest - 6 },
    gap,
    cards,
  };
}
