/** Number formatting for projector-sized labels: short, with real superscripts for powers of ten. */

const SUP: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

export function superscript(n: number): string {
  return String(n)
    .split("")
    .map((c) => SUP[c] ?? c)
    .join("");
}

/** "10⁻⁴" for a positive number, rounded to the nearest power of ten. */
export function fmtPow10(x: number): string {
  if (!(x > 0) || !Number.isFinite(x)) return String(x);
  return `10${superscript(Math.round(Math.log10(x)))}`;
}

/** A ratio in words-friendly form: "10⁻⁴" when tiny or huge, "0.05" / "12" otherwise. */
export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x > 0 && (x < 0.01 || x >= 1000)) return fmtPow10(x);
  return fmtNum(x);
}

/** Compact number: 3 significant digits; scientific (with ×10ⁿ) outside [1e-3, 1e4). */
export function fmtNum(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return "–";
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e4) {
    return String(Number(x.toPrecision(digits)));
  }
  const e = Math.floor(Math.log10(ax));
  let m = Number((x / 10 ** e).toPrecision(Math.max(1, digits - 1)));
  let ee = e;
  if (Math.abs(m) >= 10) {
    m /= 10;
    ee += 1;
  }
  const mant = m === 1 ? "" : m === -1 ? "−" : `${m}×`;
  return `${mant}10${superscript(ee)}`;
}

export function fmtPct(frac: number | null | undefined): string {
  if (frac === null || frac === undefined || !Number.isFinite(frac)) return "–";
  const p = frac * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)} %`;
}
