/**
 * Number display for textbook mode. Three precisions: "full" (10 significant digits), "book" (the
 * decimals the book prints for each quantity: a, ∂a/∂z, δ and predictions at 4, z at 6, products and
 * Error² at 8) and 2 decimals for a quick look. Rounding is half away from zero, as a person does by
 * hand, after removing binary noise (0.00055 is 0.00055, not 0.000549999…).
 */

export type Precision = "full" | "book" | "2";

/** What a number is, so "book" precision can print it the way the book does. */
export type BookQuantity =
  | "input"
  | "target"
  | "z"
  | "a"
  | "da_dz"
  | "dE_da"
  | "delta"
  | "error"
  | "error2"
  | "loss"
  | "weight"
  | "grad"
  | "pixel";

/** Decimals the book prints for each quantity (null: as many as needed, trailing zeros trimmed). */
const BOOK_DECIMALS: Record<BookQuantity, number | null> = {
  input: 2,
  target: 4,
  z: 6,
  a: 4,
  da_dz: 4,
  dE_da: 4,
  delta: 4,
  error: 4,
  error2: 8,
  loss: 8,
  weight: null,
  grad: 8,
  pixel: null,
};

export const MINUS = "\u2212";

/** x rounded to `decimals` places, half away from zero. */
export function roundHalfAway(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** decimals;
  // toPrecision(15) drops the binary representation error before the half-way test.
  const clean = Number((Math.abs(x) * scale).toPrecision(15));
  const r = Math.floor(clean + 0.5) / scale;
  return x < 0 ? -r : r;
}

/** The book's hand rounding of reused values: 4 decimals. */
export function bookRound(x: number): number {
  return roundHalfAway(x, 4);
}

function withMinus(text: string): string {
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

function fixed(x: number, decimals: number): string {
  const r = roundHalfAway(x, decimals);
  const text = (r === 0 ? 0 : r).toFixed(decimals);
  return withMinus(text);
}

function trimmed(x: number, maxDecimals: number, minDecimals: number): string {
  let text = fixed(x, maxDecimals);
  if (text.includes(".")) {
    text = text.replace(/0+$/, "");
    const decimals = text.length - text.indexOf(".") - 1;
    if (decimals < minDecimals) text += "0".repeat(minDecimals - decimals);
    text = text.replace(/\.$/, "");
  }
  return text;
}

/** Up to 10 significant digits, no exponent for ordinary magnitudes. */
function full(x: number): string {
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs < 1e-9 || abs >= 1e12) return withMinus(x.toPrecision(10).replace(/\.?0+e/, "e"));
  return withMinus(String(Number(x.toPrecision(10))));
}

/** A number as textbook mode prints it; null, NaN and ±∞ show as "—" (not a finite number). */
export function formatNumber(
  x: number | null | undefined,
  precision: Precision,
  quantity: BookQuantity = "a",
  compact = false,
): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  // Grids of pixel-sized numbers (255, 510, 1) read best without decimals.
  if (compact && Number.isInteger(x)) return withMinus(String(x));
  if (compact && precision === "book") return trimmed(x, BOOK_DECIMALS[quantity] ?? 10, 0);
  if (precision === "full") return full(x);
  if (precision === "2")
    return quantity === "pixel" && Number.isInteger(x) ? withMinus(String(x)) : fixed(x, 2);
  const decimals = BOOK_DECIMALS[quantity];
  if (decimals !== null) return fixed(x, decimals);
  if (Number.isInteger(x)) return withMinus(String(x));
  return trimmed(x, 10, quantity === "weight" ? 2 : 0);
}

export const PRECISIONS: { id: Precision; label: string; title: string }[] = [
  {
    id: "full",
    label: "Full",
    title: "Every number to 10 significant digits (what the engine computes, float64)",
  },
  {
    id: "book",
    label: "Book (4 dp)",
    title: "As the book prints: a, ∂a/∂z, δ and predictions to 4 decimals, z to 6, products and Error² to 8",
  },
  { id: "2", label: "2 dp", title: "Two decimals, for a quick look" },
];
