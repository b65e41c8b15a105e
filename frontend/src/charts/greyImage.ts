/**
 * Grey-scale images as the server sends them (GET /datasets/preview, GET /runs/{id}/examples):
 * `encoding: "base64-uint8"`, each image one base64 string of row-major uint8 pixels (0 = black).
 * The data panel's preview and the Predictions view both draw them through these helpers.
 */

/** The pixels of one base64-uint8 image (empty when the string is not valid base64). */
export function decodeBase64Pixels(data: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(data);
  } catch {
    return new Uint8Array(0);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Grey pixels → opaque RGBA (as ImageData wants them); missing pixels stay black. */
export function greyToRgba(pixels: ArrayLike<number>, width: number, height: number): Uint8ClampedArray {
  const n = width * height;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = pixels[i] ?? 0;
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/**
 * Paint one base64-uint8 image into `canvas` at its own resolution (width × height backing pixels);
 * CSS scales it up (`image-rendering: pixelated` keeps the pixels square).
 */
export function drawGreyImage(canvas: HTMLCanvasElement, data: string, width: number, height: number): void {
  if (width <= 0 || height <= 0) return;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const img = ctx.createImageData(width, height);
  img.data.set(greyToRgba(decodeBase64Pixels(data), width, height));
  ctx.putImageData(img, 0, 0);
}
