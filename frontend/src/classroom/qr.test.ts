import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { qrModules } from "./qr";

describe("the join link's QR code", () => {
  it("draws one square per dark module of the code, quiet zone included", () => {
    const link = "http://192.168.1.20:8000/?room=K7QX2M";
    const qr = qrModules(link);
    const { data } = encode(link, { ecc: "M", border: 2 });
    expect(qr.side).toBe(data.length);
    expect(qr.dark).toBe(data.flat().filter(Boolean).length);
    expect(qr.path.match(/M/g)?.length).toBe(qr.dark);
    // a 2-module white border: the first two rows and columns are light
    expect(data[0]!.some(Boolean) || data[1]!.some(Boolean)).toBe(false);
    expect(data.every((row) => !row[0] && !row[1])).toBe(true);
  });

  it("grows with the link and stays square", () => {
    const short = qrModules("http://h/?room=A");
    const long = qrModules(`http://a-long-school-hostname.example.org:8000/?room=${"X".repeat(40)}`);
    expect(long.side).toBeGreaterThan(short.side);
    // a version-v code has 17 + 4v modules, plus the border on both sides
    expect((short.side - 4 - 17) % 4).toBe(0);
  });
});
