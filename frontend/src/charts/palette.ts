/**
 * Colour-blind-safe colours. The diverging map runs orange (negative / class 0) → near-white (0 / 0.5)
 * → blue (positive / class 1), the pair TensorFlow Playground uses: orange and blue stay distinct
 * under protanopia, deuteranopia and tritanopia, and the light middle keeps decision boundaries visible.
 * Categorical colours are Okabe & Ito's set.
 */

export const NEG_RGB: readonly [number, number, number] = [230, 120, 20];
export const MID_RGB: readonly [number, number, number] = [245, 245, 240];
export const POS_RGB: readonly [number, number, number] = [8, 110, 185];

export const NEG_CSS = `rgb(${NEG_RGB.join(",")})`;
export const POS_CSS = `rgb(${POS_RGB.join(",")})`;

/** Okabe–Ito categorical palette (black omitted): series and classes. */
export const CATEGORICAL = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#D55E00", // vermillion
  "#F0E442", // yellow
  "#999999", // grey
] as const;

export const QUANTITY_COLOUR: Record<string, string> = {
  W: "#0072B2",
  b: "#56B4E9",
  z: "#009E73",
  a: "#E69F00",
  delta: "#D55E00",
  grad_W: "#CC79A7",
};

export const LUT_SIZE = 256;

/** RGBA lookup table (size × 4 bytes), index 0 = most negative, size−1 = most positive. */
export function divergingLut(size = LUT_SIZE, strength = 1): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const t = (i / (size - 1)) * 2 - 1; // −1 … 1
    const [from, to, u] = t < 0 ? [MID_RGB, NEG_RGB, -t] : [MID_RGB, POS_RGB, t];
    // A slight ease keeps small values visibly tinted (boundary regions) without washing out the ends;
    // strength < 1 gives a paler map for backgrounds that points in full colour must stand out from.
    const e = Math.pow(u, 0.8) * strength;
    for (let c = 0; c < 3; c++) lut[i * 4 + c] = from[c] + (to[c] - from[c]) * e;
    lut[i * 4 + 3] = 255;
  }
  return lut;
}

/** Sequential light→dark map (grey-blue) for non-negative data such as feature maps and images. */
export function sequentialLut(size = LUT_SIZE): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(size * 4);
  const a = [250, 250, 250];
  const b = [20, 40, 90];
  for (let i = 0; i < size; i++) {
    const u = i / (size - 1);
    for (let c = 0; c < 3; c++) lut[i * 4 + c] = a[c] + (b[c] - a[c]) * u;
    lut[i * 4 + 3] = 255;
  }
  return lut;
}

/** Index into a LUT for value v on a symmetric scale [−m, m] (or [lo, hi] when given). */
export function lutIndex(v: number, lo: number, hi: number, size = LUT_SIZE): number {
  if (!Number.isFinite(v)) return size >> 1;
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return Math.max(0, Math.min(size - 1, Math.round(t * (size - 1))));
}

export function lutCss(lut: Uint8ClampedArray, i: number): string {
  return `rgb(${lut[i * 4]},${lut[i * 4 + 1]},${lut[i * 4 + 2]})`;
}

/** LUT of k flat bands (lightened categorical colours) for class-index grids over [−0.5, k − 0.5]. */
export function categoricalLut(k: number, size = LUT_SIZE): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const cls = Math.min(k - 1, Math.floor((i / size) * k));
    const hex = CATEGORICAL[cls % CATEGORICAL.length];
    for (let c = 0; c < 3; c++) {
      const v = parseInt(hex.slice(1 + 2 * c, 3 + 2 * c), 16);
      lut[i * 4 + c] = v + (255 - v) * 0.45;
    }
    lut[i * 4 + 3] = 255;
  }
  return lut;
}
