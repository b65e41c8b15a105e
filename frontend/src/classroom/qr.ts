/** A text as QR modules (uqr: byte mode, error correction M, a 2-module quiet zone). */
import { encode } from "uqr";

export interface QrModules {
  /** one "M x y h1v1h-1z" square per dark module */
  path: string;
  /** modules per side, quiet zone included */
  side: number;
  dark: number;
}

export function qrModules(text: string): QrModules {
  const { data } = encode(text, { ecc: "M", border: 2 });
  const parts: string[] = [];
  data.forEach((row, y) =>
    row.forEach((on, x) => {
      if (on) parts.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return { path: parts.join(""), side: data.length, dark: parts.length };
}
