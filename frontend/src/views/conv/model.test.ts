import { describe, expect, it } from "vitest";
import { LECTURE_FOUR } from "../../test/fixtures/lectureFour";
import { fitText } from "../../charts/fitText";
import {
  cellKey,
  fieldOnInput,
  filterHeadings,
  filtersOf,
  inputHeadings,
  inputImage,
  mapHeadings,
  mapLayers,
  mapsOf,
  opsUpTo,
  patchProducts,
  readCell,
} from "./model";

// A 6×6 "4"-like image, conv 3×3 (2 filters, 1 input channel) → 4×4 maps, 2×2 max-pool → 2×2.
const fm = {
  example: 0,
  label: 4,
  input: { shape: [1, 6, 6], values: new Float32Array(36).map((_, i) => i) },
  layers: [
    {
      id: "c1",
      kind: "conv2d",
      input: "x",
      shape: [2, 4, 4],
      maps: new Float32Array(32),
      kernel: 3,
      stride: 1,
      padding: 0,
      filter_shape: [2, 1, 3, 3],
      filters: new Float32Array(18).map((_, i) => i),
    },
    {
      id: "p1",
      kind: "maxpool2d",
      input: "c1",
      shape: [2, 2, 2],
      maps: new Float32Array(8),
      kernel: 2,
      stride: 2,
      padding: 0,
    },
  ],
};

const FOUR = LECTURE_FOUR.flat();

describe("conv view model", () => {
  it("reads maps, filters and the input as planes", () => {
    expect(mapLayers(fm).map((l) => l.id)).toEqual(["c1", "p1"]);
    expect(mapsOf(fm.layers[0])).toMatchObject({ n: 2, rows: 4, cols: 4 });
    expect(filtersOf(fm.layers[0])).toMatchObject({ n: 2, rows: 3, cols: 3, meanOverInputs: false });
    expect(filtersOf(fm.layers[1])).toBeNull();
    expect(inputImage(fm)).toMatchObject({ n: 1, rows: 6, cols: 6 });
  });

  it("averages filters over several input channels", () => {
    const layer = { ...fm.layers[0], filter_shape: [1, 2, 1, 2], filters: [1, 2, 3, 4] };
    const f = filtersOf(layer)!;
    expect(Array.from(f.values)).toEqual([2, 3]);
    expect(f.meanOverInputs).toBe(true);
  });

  it("maps a clicked cell back to its receptive field on the input", () => {
    expect(opsUpTo(fm, "c1")).toHaveLength(1);
    expect(fieldOnInput(fm, "c1", 1, 0)).toEqual({ r0: 1, r1: 3, c0: 0, c1: 2, touchesPadding: false });
    // pool cell (1, 1) covers conv rows/cols 2–3 → input 2–5
    expect(fieldOnInput(fm, "p1", 1, 1)).toEqual({ r0: 2, r1: 5, c0: 2, c1: 5, touchesPadding: false });
    expect(fieldOnInput(null, "c1", 0, 0)).toBeNull();
  });
});

describe("patchProducts", () => {
  // The lecture's 6×6 "4" and the horizontal-line filter, stride 1, no padding, bias 0.
  const four = FOUR;
  const lecture = (padding: number) => ({
    input: { shape: [1, 6, 6], values: four },
    layers: [
      {
        id: "c",
        kind: "conv2d",
        shape: [1, 6 - 2 + 2 * padding, 6 - 2 + 2 * padding],
        maps: new Array((6 - 2 + 2 * padding) ** 2).fill(0),
        kernel: 3,
        stride: 1,
        padding,
        filter_shape: [1, 1, 3, 3],
        filters: [0, 0, 0, 1, 1, 1, 0, 0, 0],
      },
    ],
  });

  it("gives the lecture's 255 (top-left) and 765 (horizontal bar)", () => {
    const tl = patchProducts(lecture(0), "c", 0, 0, 0)!;
    expect(tl.x).toEqual([
      [0, 0, 0],
      [0, 255, 0],
      [0, 255, 0],
    ]);
    expect(tl.sum).toBe(255);
    const bar = patchProducts(lecture(0), "c", 0, 2, 1)!;
    expect(bar.products[1]).toEqual([255, 255, 255]);
    expect(bar.sum).toBe(765);
  });

  it("reads zeros from the padding ring and refuses deeper layers", () => {
    const p = patchProducts(lecture(1), "c", 0, 0, 0)!;
    expect(p.x[0]).toEqual([0, 0, 0]);
    expect(p.x[2]).toEqual([0, 0, 255]);
    expect(patchProducts(fm, "p1", 0, 0, 0)).toBeNull();
    expect(patchProducts(lecture(0), "c", 5, 0, 0)).toBeNull();
  });
});

describe("readCell", () => {
  // The same 6×6 "4" and horizontal-line filter at two steps: the filter doubled in between.
  const four = FOUR;
  const at = (scale: number) => {
    const maps = new Array(16).fill(0);
    maps[2 * 4 + 1] = 765 * scale; // a at row 2, col 1
    return {
      input: { shape: [1, 6, 6], values: four },
      layers: [
        {
          id: "c",
          kind: "conv2d",
          shape: [1, 4, 4],
          maps,
          kernel: 3,
          stride: 1,
          padding: 0,
          filter_shape: [1, 1, 3, 3],
          filters: [0, 0, 0, scale, scale, scale, 0, 0, 0],
        },
      ],
    };
  };
  const bar = { layer: "c", index: 0, row: 2, col: 1 };

  it("reads a, the products and the step from the frame it is given, not the click's", () => {
    const early = readCell(at(1), 49, bar);
    expect(early).toMatchObject({ step: 49, a: 765 });
    expect(early.products?.sum).toBe(765);
    const later = readCell(at(2), 125, bar);
    expect(later).toMatchObject({ step: 125, a: 1530 });
    expect(later.products?.w[1]).toEqual([2, 2, 2]);
    expect(later.products?.sum).toBe(1530);
  });

  it("gives a without products for deeper layers", () => {
    const r = readCell(fm, 7, { layer: "p1", index: 1, row: 1, col: 0 });
    expect(r).toEqual({ step: 7, a: 0, products: null });
  });

  it("reads nothing where the frame has no such cell", () => {
    expect(readCell(at(1), 3, { ...bar, index: 1 })).toEqual({ step: 3, a: null, products: null });
    expect(readCell(at(1), 3, { ...bar, row: 4 })).toEqual({ step: 3, a: null, products: null });
    expect(readCell(at(1), 3, { ...bar, layer: "gone" })).toEqual({ step: 3, a: null, products: null });
    expect(readCell(null, null, bar)).toEqual({ step: null, a: null, products: null });
  });

  it("keys a cell by where it is", () => {
    expect(cellKey(bar)).toBe("c/0/2/1");
    expect(cellKey(null)).toBe("");
  });
});

describe("conv view headings", () => {
  const longestFirst = (w: string[]) => {
    for (let i = 1; i < w.length; i++) expect(w[i].length).toBeLessThan(w[i - 1].length);
  };

  it("words each heading from the full sentence down to a few words", () => {
    const maps = mapHeadings({ id: "conv1", kind: "conv2d" });
    expect(maps[0]).toBe("feature maps of conv1 (conv2d), each scaled to its max — click a cell");
    longestFirst(maps);
    for (const w of maps) expect(w).toContain("conv1");
    // every wording but the shortest says the cells can be clicked
    for (const w of maps.slice(0, -1)) expect(w.endsWith("click a cell")).toBe(true);
    expect(maps.at(-1)).toBe("conv1 maps");
    longestFirst(filterHeadings(true));
    expect(filterHeadings(true)[0]).toBe("filters W (mean over input channels)");
    expect(filterHeadings(false)).toEqual(["filters W"]);
    expect(inputHeadings(3, 7)).toEqual(["input #3 (label 7)", "#3 (label 7)", "input #3", "#3"]);
    expect(inputHeadings(null, null)).toEqual(["input #0", "#0"]);
  });

  it("keeps 'click a cell' in the room the maps have in the normal layout", () => {
    // bold 15 px system-ui is about 8.5 px a character; at 1280×720 the maps column has about 470 px,
    // with the inspector open about 290 px
    const measure = (t: string) => t.length * 8.5;
    const maps = mapHeadings({ id: "conv1", kind: "conv2d" });
    expect(fitText(maps, 470, measure)).toBe("maps of conv1, each scaled to its max — click a cell");
    expect(fitText(maps, 290, measure)).toBe("conv1 maps — click a cell");
    expect(fitText(maps, 100, measure)).toBe("conv1 maps");
  });
});
