import { describe, expect, it } from "vitest";
import { decodeBase64Pixels, greyToRgba } from "./greyImage";

describe("base64-uint8 images", () => {
  it("decodes the pixels", () => {
    // bytes 0, 127, 255, 10
    expect(Array.from(decodeBase64Pixels("AH//Cg=="))).toEqual([0, 127, 255, 10]);
  });

  it("gives no pixels for a string that is not base64", () => {
    expect(decodeBase64Pixels("not base64!").length).toBe(0);
  });

  it("turns grey pixels into opaque RGBA, black where pixels are missing", () => {
    expect(Array.from(greyToRgba([0, 200], 3, 1))).toEqual([0, 0, 0, 255, 200, 200, 200, 255, 0, 0, 0, 255]);
  });
});
