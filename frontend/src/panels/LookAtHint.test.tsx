import { act, type ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { mount, setUpDom } from "../test/dom";
import { ApiClient, type PresetSummary } from "../net/api";
import { createStores, StoresProvider, type Stores } from "../store/context";
import { TelemetryHub } from "../telemetry/hub";
import { LookAtHint } from "./LookAtHint";
import { PresetsPanel } from "./PresetsPanel";

setUpDom();

const LOOK = "Look at: the Gradients view — RMS δ at h1 stays close to h12's.";
const SUMMARY: PresetSummary = {
  id: "deep-residual-network",
  title: "The same deep network with residual connections",
  description: "Twelve tanh layers with shortcuts.",
  teaches: ["residual connections"],
  mode: "train",
  look_at: LOOK,
};
const SPEC = {
  version: 1,
  network: {
    nodes: [
      { id: "x", kind: "input", shape: [2] },
      { id: "y", kind: "dense", units: 1, activation: "sigmoid" },
    ],
  },
};

function stores(): Stores {
  const fetchStub = vi.fn(
    async () => new Response(JSON.stringify({ ...SUMMARY, spec: SPEC }), { status: 200 }),
  );
  const s = createStores({
    api: new ApiClient({ fetch: fetchStub as unknown as typeof fetch }),
    hub: new TelemetryHub(),
    socket: { watch: () => undefined, control: () => false, close: () => undefined },
  });
  s.catalog.setState({ presets: [SUMMARY], status: "ready" });
  return s;
}

function render(ui: ReactNode, s: Stores): HTMLElement {
  return mount(<StoresProvider stores={s}>{ui}</StoresProvider>);
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe("what to look at", () => {
  it("the presets gallery shows each preset's look_at and a load hands it to the editor", async () => {
    const s = stores();
    const el = render(<PresetsPanel />, s);
    const card = el.querySelector<HTMLButtonElement>("[data-testid='preset-deep-residual-network']")!;
    expect(card.textContent).toContain(LOOK);
    act(() => card.click());
    await settle();
    expect(s.specs.getState().lookAt).toBe(LOOK);
    expect(s.specs.getState().title).toBe(SUMMARY.title);
  });

  it("the hint shows the loaded preset's text until dismissed, and the next load replaces it", () => {
    const s = stores();
    const el = render(<LookAtHint />, s);
    expect(el.querySelector("[data-testid='look-at']")).toBeNull();
    act(() => s.specs.getState().loadSpec(SPEC as never, { title: "t", lookAt: LOOK }));
    expect(el.querySelector("[data-testid='look-at']")!.textContent).toContain(LOOK);
    // an edit keeps it: a class may change a setting and run again
    act(() => s.specs.getState().setTraining({ epochs: 5 }));
    expect(el.querySelector("[data-testid='look-at']")).not.toBeNull();
    act(() => el.querySelector<HTMLButtonElement>(".look-at-dismiss")!.click());
    expect(el.querySelector("[data-testid='look-at']")).toBeNull();
    act(() => s.specs.getState().loadSpec(SPEC as never, { lookAt: "Look at: the Loss view." }));
    expect(el.querySelector("[data-testid='look-at']")!.textContent).toContain("Look at: the Loss view.");
    act(() => s.specs.getState().loadSpec(SPEC as never, { title: "an experiment" }));
    expect(el.querySelector("[data-testid='look-at']")).toBeNull();
  });
});
