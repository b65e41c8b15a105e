import { describe, expect, it } from "vitest";
import { diagramLayout } from "./layout";

describe("diagram layout", () => {
  const columns = [[1, 2], [3, 4, 5], [6, 7], [8]];
  it("places one column per layer, left to right, inside the width", () => {
    const l = diagramLayout(columns, 720, 360);
    expect(l.cards).toBe(true);
    const xs = [1, 3, 6, 8].map((n) => l.neurons.find((p) => p.neuron === n)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const last = l.neurons.find((p) => p.neuron === 8)!;
    expect(last.x + last.w).toBeLessThanOrEqual(720);
    expect(l.gap).toBeGreaterThan(100);
    expect(l.biases).toHaveLength(3);
  });
  it("spreads a column's neurons evenly without overlap", () => {
    const l = diagramLayout(columns, 720, 360);
    const ys = [3, 4, 5].map((n) => l.neurons.find((p) => p.neuron === n)!);
    expect(ys[1]!.y - ys[0]!.y).toBeCloseTo(ys[2]!.y - ys[1]!.y, 6);
    expect(ys[1]!.y - ys[0]!.y).toBeGreaterThanOrEqual(ys[0]!.room - 1e-9);
  });
  it("falls back to small circles when the cards do not fit", () => {
    const l = diagramLayout([[1, 2], Array.from({ length: 12 }, (_, i) => i + 3)], 720, 360);
    expect(l.cards).toBe(false);
  });
  it("uses wider cards on wide screens", () => {
    expect(diagramLayout(columns, 1100, 600).card.width).toBeGreaterThan(
      diagramLayout(columns, 720, 360).card.width,
    );
  });
});
