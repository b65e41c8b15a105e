import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../net/api";
import { createStores, StoresProvider } from "../store/context";
import fixture from "./logic/fixtures/powerPlantLogistic.json";
import { TextbookMode } from "./TextbookMode";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PRESET = {
  id: "kelleher-power-plant-logistic",
  title: "Power plant: backprop by hand (logistic)",
  description: "Kelleher's 2-3-2-1 network.",
  mode: "textbook",
  spec: {
    network: { nodes: [{ id: "x", kind: "input", shape: [2] }] },
    data: { dataset: "power_plant", variant: "normalized", target: "value" },
    training: { loss: "half_sse", optimizer: { kind: "sgd", lr: 0.2 } },
  },
};

const requests: { method: string; url: string; body: unknown }[] = [];

function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = String(input);
  const body = init?.body ? JSON.parse(String(init.body)) : null;
  requests.push({ method: init?.method ?? "GET", url, body });
  const json = (v: unknown) => Promise.resolve(new Response(JSON.stringify(v), { status: 200 }));
  if (url.includes("/presets/")) return json(PRESET);
  if (url.endsWith("/errata"))
    return json([
      {
        example: "Power plant, logistic (Tables 4 and 8)",
        quantity: "SSE before and after one update",
        slide_value: "0.17921847",
        correct_value: "0.1792198",
        preset: PRESET.id,
      },
    ]);
  if (url.includes("/datasets/preview"))
    return json({
      kind: "table",
      feature_names: ["t", "h"],
      target_names: ["out"],
      table: {
        columns: ["t", "h", "out"],
        rows: fixture.rows.inputs.map((r, i) => [...r, ...fixture.rows.targets[i]!]),
        split: ["train", "train", "train", "train"],
      },
    });
  if (url.endsWith("/trace")) return json(fixture.trace);
  return Promise.resolve(new Response("{}", { status: 404 }));
}

let root: Root;
let host: HTMLDivElement;

beforeEach(() => {
  host = document.createElement("div");
  document.body.appendChild(host);
  root = createRoot(host);
  requests.length = 0;
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

async function settle() {
  for (let i = 0; i < 10; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
}

function click(testId: string, times = 1) {
  for (let i = 0; i < times; i++)
    act(() => (host.querySelector(`[data-testid="${testId}"]`) as HTMLButtonElement).click());
}

function text(testId: string): string | null {
  return host.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;
}

describe("TextbookMode", () => {
  it("traces the preset's table rows and steps to the book's δ8 for d2", async () => {
    const api = new ApiClient({ fetch: fakeFetch as typeof fetch });
    const stores = createStores({ api, socket: { watch() {}, control: () => false, close() {} } });
    stores.textbook.getState().openTextbook({ kind: "preset", id: PRESET.id });
    act(() =>
      root.render(
        <StoresProvider stores={stores}>
          <TextbookMode />
        </StoresProvider>,
      ),
    );
    await settle();
    const trace = requests.find((r) => r.url.endsWith("/trace"))!;
    expect(trace.body).toMatchObject({
      learning_rate: 0.2,
      loss: "half_sse",
      dtype: "float64",
      reduction: "sum",
    });
    expect((trace.body as { inputs: number[][] }).inputs[1]).toEqual([0.84, 0.58]);
    expect(text("tb-title")).toContain("Power plant");

    expect(text("tb-delta-8")).toBeNull();
    click("tb-next-example");
    click("tb-forward", 3);
    expect(text("tb-loss")).toBe("0.17921984");
    click("tb-backward");
    expect(text("tb-delta-8")).toBe("0.0852");
    expect(host.querySelector('[data-testid="tb-errata"]')?.textContent).toContain("0.1792198");
    click("tb-backward", 2);
    click("tb-update");
    expect(text("tb-loss-after")).toBe("0.17896706");
    click("tb-undo");
    expect(text("tb-loss-after")).toBe("·");
    click("tb-reset");
    expect(text("tb-delta-8")).toBeNull();
  });
});
