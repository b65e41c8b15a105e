"""Checks run inside the page by more than one browser test."""

# True when the canvas shows more than a blank background: some pixels differ clearly from the first.
CANVAS_HAS_INK = """(testid) => {
  const c = document.querySelector(`[data-testid='${testid}']`);
  if (!c || c.width === 0 || c.height === 0) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4 * 7) {
    if (d[i + 3] > 0 && Math.abs(d[i] - d[i + 2]) + Math.abs(d[i + 1] - d[i + 2]) > 60) ink++;
  }
  return ink > 50;
}"""
