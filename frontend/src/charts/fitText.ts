/**
 * Fitting a canvas label into the width it has (pure; the caller passes how to measure, e.g.
 * `(s) => ctx.measureText(s).width` with the label's font set).
 */

/**
 * The first of `candidates` (longest wording first, shorter ones after) that is at most `maxWidth`
 * wide; if none is, as much of the last (shortest) as fits, cut at a character boundary and ended
 * with "…". Empty when not even its first character and "…" fit, or there are no candidates.
 */
export function fitText(
  candidates: readonly string[],
  maxWidth: number,
  measure: (text: string) => number,
): string {
  if (candidates.length === 0 || !(maxWidth > 0)) return "";
  for (const c of candidates) if (measure(c) <= maxWidth) return c;
  const chars = Array.from(candidates[candidates.length - 1].trimEnd());
  // longest prefix whose "prefix…" fits (binary search: the width grows with the prefix)
  let lo = 1;
  let hi = chars.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (measure(`${chars.slice(0, mid).join("").trimEnd()}…`) <= maxWidth) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best > 0 ? `${chars.slice(0, best).join("").trimEnd()}…` : "";
}
