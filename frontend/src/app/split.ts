/**
 * The split between the network canvas and the live views under it. Pure: sizes are in CSS pixels of
 * the centre column, and the remembered split is the views' share of that column, so it carries over
 * between a laptop and a projector.
 */

/** Below these the canvas loses its tools and the views lose their charts. */
export const MIN_CANVAS = 180;
export const MIN_VIEWS = 160;
/** The default: the views take 45 % of a tall column, but at least enough for a toolbar and a readable chart. */
export const VIEWS_SHARE = 0.45;
export const VIEWS_FLOOR = 380;
/** Arrow keys move the splitter by a small step; with Shift, by a large one. */
export const KEY_STEP = 32;
export const KEY_STEP_LARGE = 128;

export const STORAGE_KEY = "glassnet.layout.viewsShare";

/** Clamp a views height so that neither pane drops below its minimum; a tiny column is shared in proportion. */
export function clampViews(px: number, total: number): number {
  if (total <= 0) return 0;
  const hi = total - MIN_CANVAS;
  if (hi < MIN_VIEWS) return Math.round((total * MIN_VIEWS) / (MIN_VIEWS + MIN_CANVAS));
  return Math.round(Math.min(hi, Math.max(MIN_VIEWS, px)));
}

/** The views' height in a column of `total` px: the remembered share, or the default when none is. */
export function viewsHeight(share: number | null, total: number): number {
  const px = share === null ? Math.max(VIEWS_SHARE * total, VIEWS_FLOOR) : share * total;
  return clampViews(px, total);
}

/** The views' height after a key press on the splitter, or null for keys it does not handle. */
export function viewsAfterKey(key: string, shift: boolean, px: number, total: number): number | null {
  const step = shift ? KEY_STEP_LARGE : KEY_STEP;
  switch (key) {
    case "ArrowUp":
      return clampViews(px + step, total);
    case "ArrowDown":
      return clampViews(px - step, total);
    case "Home":
      return clampViews(MIN_VIEWS, total);
    case "End":
      return clampViews(total, total);
    default:
      return null;
  }
}

/** A share read back from storage: a number strictly between 0 and 1, anything else is no share. */
export function parseShare(raw: string | null): number | null {
  if (raw === null || raw.trim() === "") return null;
  const share = Number(raw);
  return Number.isFinite(share) && share > 0 && share < 1 ? share : null;
}
