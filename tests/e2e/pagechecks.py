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

# How many different colours a region of the canvas holds ([x0, y0, x1, y1] in CSS pixels),
# counted over every pixel of it.
CANVAS_COLOURS = """([testid, box]) => {
  const c = document.querySelector(`[data-testid='${testid}']`);
  const k = c.width / c.clientWidth;
  const [x0, y0, x1, y1] = box.map((v) => Math.round(v * k));
  const d = c.getContext('2d').getImageData(x0, y0, x1 - x0, y1 - y0).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
}"""
