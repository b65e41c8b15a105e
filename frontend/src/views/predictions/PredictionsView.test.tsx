import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { mount, setUpDom } from "../../test/dom";
import { ApiClient } from "../../net/api";
import { createStores, StoresProvider } from "../../store/context";
import { TelemetryHub, type LiveFrame } from "../../telemetry";
import { liveFrame } from "../../test/fixtures/frames";
import { PredictionsView } from "./PredictionsView";

setUpDom();

/** A frame as msgpack delivers it: lists of 8+ numbers packed into typed arrays. */
function frame(): LiveFrame {
  const confusion = [
    [5, 1, 0],
    [0, 6, 2],
    [1, 0, 5],
  ];
  return liveFrame({
    run: "run-1",
    seq: 1,
    step: 40,
    epoch: 2,
    loss: 0.5,
    predictions: {
      split: "val",
      step: 36,
      epoch: 2,
      task: "multiclass",
      n: 20,
      class_names: ["low", "medium", "high"],
      correct: 16,
      confusion,
      scatter: null,
      sequence: null,
      examples: [
        { index: 0, target: 0, predicted: 0, outputs: [0.7, 0.2, 0.1] },
        { index: 1, target: 1, predicted: 2, outputs: new Float32Array([0.1, 0.3, 0.6]) },
      ],
    },
  });
}

/** The view in an app of its own, whose hub holds `frames`. */
function render(fetchImpl: typeof fetch, ...frames: LiveFrame[]) {
  const hub = new TelemetryHub();
  for (const f of frames) hub.ingest(f);
  const stores = createStores({
    api: new ApiClient({ fetch: fetchImpl }),
    hub,
    socket: { watch: () => undefined, control: () => false, close: () => undefined },
  });
  return mount(
    <StoresProvider stores={stores}>
      <PredictionsView visible={true} />
    </StoresProvider>,
  );
}

const examplesBody = {
  split: "val",
  n: 20,
  kind: "table",
  labels: [0, 1],
  table: {
    columns: ["ambient_temperature", "relative_humidity", "low", "medium", "high"],
    rows: [
      [4, 0.8, 1, 0, 0],
      [12, 0.5, 0, 1, 0],
    ],
  },
};

describe("PredictionsView", () => {
  it("says what to do before any frame", () => {
    const fetchImpl = vi.fn();
    const el = render(fetchImpl as unknown as typeof fetch);
    expect(el.querySelector("[data-testid=pred-empty]")?.textContent).toContain(
      "Run a classifier, e.g. the MNIST CNN preset, to see its predictions.",
    );
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it("shows the frame's accuracy, confusion matrix and examples with their inputs", async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify(examplesBody)));
    const el = render(fetchImpl as unknown as typeof fetch, frame());
    await act(async () => {
      await Promise.resolve();
    });

    const header = el.querySelector("[data-testid=pred-header]")!;
    expect(header.textContent).toBe("validation split · 20 examples · at step 36 (epoch 2)");
    expect(header.getAttribute("data-step")).toBe("36");
    expect(el.querySelector("[data-testid=pred-accuracy]")?.textContent).toBe("80.0 %");

    const cells = [...el.querySelectorAll<HTMLElement>("[data-testid=pred-cell]")];
    expect(cells).toHaveLength(9);
    expect(cells.reduce((s, c) => s + Number(c.textContent), 0)).toBe(20);
    expect(cells[5]!.getAttribute("aria-label")).toBe(
      "2 examples of class medium predicted as high (25 % of class medium)",
    );

    const tiles = [...el.querySelectorAll<HTMLElement>("[data-testid=pred-tile]")];
    expect(tiles.map((t) => t.dataset.correct)).toEqual(["true", "false"]);
    expect(tiles[1]!.classList.contains("is-wrong")).toBe(true);
    expect(tiles[1]!.querySelector(".verdict")?.textContent).toBe("✗ pred high");
    expect(tiles[1]!.querySelectorAll(".pred-bars li")).toHaveLength(3);

    // The inputs come from GET /runs/{id}/examples, once, for the frame's run and split.
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(String((fetchImpl.mock.calls[0] as unknown[])[0])).toBe(
      "/api/v1/runs/run-1/examples?split=val&limit=24",
    );
    expect(tiles[1]!.querySelector(".pred-inputs")?.textContent).toBe(
      "ambient temperature12relative humidity0.5",
    );
  });

  it("marks the examples behind a clicked cell", async () => {
    const el = render(
      vi.fn(async () => new Response(JSON.stringify(examplesBody))) as unknown as typeof fetch,
      frame(),
    );
    await act(async () => {
      await Promise.resolve();
    });
    const cell = el.querySelector<HTMLElement>("[data-testid=pred-cell][data-true='1'][data-pred='2']")!;
    act(() => cell.click());
    expect(el.querySelector("[data-testid=pred-cell-note]")?.textContent).toContain(
      "1 among the examples shown",
    );
    const tiles = [...el.querySelectorAll<HTMLElement>("[data-testid=pred-tile]")];
    expect(tiles.map((t) => t.classList.contains("is-match"))).toEqual([false, true]);
    expect(tiles[0]!.classList.contains("is-dim")).toBe(true);
    act(() => cell.click());
    expect(el.querySelectorAll(".is-dim")).toHaveLength(0);
  });
});
