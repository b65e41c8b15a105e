/** Panning the canvas when its pane changes size. Pure; boxes are in screen pixels relative to the pane. */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Size {
  w: number;
  h: number;
}

/** The shift along one axis that brings [start, start + length) inside [margin, extent − margin]; the start wins if both cannot fit. */
function shiftInto(start: number, length: number, extent: number, margin: number): number {
  const over = start + length - (extent - margin);
  const shift = over > 0 ? -over : 0;
  return start + shift < margin ? margin - start : shift;
}

/**
 * How far to pan the viewport after the pane went from `before` to `after`. Networks are laid out left
 * to right, so a change of height keeps their vertical centre where it was; a change of width keeps the
 * left edge (React Flow's own anchor). Then, if the pane shrank, the selected layer's `box` (computed
 * before this pan) is brought back into view, so opening the inspector never hides the layer it edits.
 */
export function panAfterResize(
  before: Size,
  after: Size,
  box: Box | null,
  margin = 16,
): { dx: number; dy: number } {
  const dy = (after.h - before.h) / 2;
  if (!box || (after.w >= before.w && after.h >= before.h)) return { dx: 0, dy };
  return {
    dx: shiftInto(box.x, box.w, after.w, margin),
    dy: dy + shiftInto(box.y + dy, box.h, after.h, margin),
  };
}

/**
 * As the pane widens again (the inspector closing), give back the leftward pan that kept a layer in view
 * when it narrowed. `owed` ≤ 0 is what is still borrowed; returns the rightward shift to apply now.
 */
export function giveBack(owed: number, before: Size, after: Size): number {
  return owed < 0 && after.w > before.w ? Math.min(-owed, after.w - before.w) : 0;
}
