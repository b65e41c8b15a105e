import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { mount, setUpDom } from "../test/dom";
import { ApiClient, type RunPublic } from "../net/api";
import { createStores, StoresProvider } from "../store/context";
import { createRunStore } from "../store/runStore";
import { createSpecStore } from "../store/specStore";
import { TelemetryHub } from "../telemetry/hub";
import { RunsPanel } from "./RunsPanel";
import { runOwner } from "./owner";

setUpDom();

const SPEC = {
  network: {
    nodes: [
      { id: "x", kind: "input", shape: [2] },
      { id: "y", kind: "dense", units: 1, activation: "sigmoid" },
    ],
  },
};

function run(id: string, extra: Partial<RunPublic> = {}): RunPublic {
  return {
    id,
    name: null,
    experiment_id: null,
    state: "finished",
    step: 20,
    epoch: 10,
    latest_metrics: {
      step: 20,
      epoch: 10,
      loss: 0.5,
      val_loss: null,
      accuracy: 0.75,
      val_accuracy: null,
      lr: 0.03,
    },
    stop_reason: null,
    diagnosis: null,
    device: null,
    executor: null,
    created_at: "2026-12-06T10:00:00Z",
    updated_at: "2026-12-06T10:00:10Z",
    checkpoint_step: null,
    ended_at: "2026-12-06T10:00:10Z",
    spec: null,
    summary: "2-1 sigmoid · sgd α 0.03 · circle",
    diff: null,
    mine: true,
    ...extra,
  };
}

const NEWER = run("newer1", {
  summary: "2-1 sigmoid · sgd α 0.1 · circle",
  diff: {
    previous: "older1",
    changes: [{ pointer: "/training/optimizer/lr", old: 0.03, new: 0.1 }],
    omitted: 0,
  },
});
const OLDER = run("older1");
const THEIRS = run("theirs1", { mine: false, summary: "2-8-1 relu · adam α 0.01 · spiral" });

/** The panel over a server that holds three runs: two of this browser's and someone else's. */
async function panel() {
  const calls: Request[] = [];
  let listed = [NEWER, OLDER, THEIRS];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(`http://test${String(input)}`, init);
    calls.push(request);
    const url = new URL(request.url);
    if (request.method === "DELETE") {
      listed = listed.filter((r) => !url.pathname.endsWith(`/${r.id}`));
      return new Response(null, { status: 204 });
    }
    if (url.pathname === "/api/v1/runs") {
      return new Response(
        JSON.stringify({ runs: listed, count: listed.length, total: listed.length, next_offset: null }),
      );
    }
    if (url.pathname.endsWith("/snapshot"))
      return new Response(JSON.stringify({ v: 1, run: "older1", seq: 3, step: 20, layers: [] }));
    const id = url.pathname.split("/")[4]!;
    return new Response(JSON.stringify({ ...run(id), spec: SPEC }));
  });
  const watched: [string, string | null][] = [];
  const hub = new TelemetryHub();
  const stores = createStores({
    api: new ApiClient({ fetch: fetchStub as unknown as typeof fetch }),
    hub,
    socket: {
      watch: (id, owner) => void watched.push([id, owner]),
      control: () => false,
      close: () => undefined,
    },
  });
  const el = mount(
    <StoresProvider stores={stores}>
      <RunsPanel />
    </StoresProvider>,
  );
  await settle();
  return { el, calls, stores, watched, hub };
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

function ids(el: HTMLElement): string[] {
  return [...el.querySelectorAll("[data-testid=run-item]")].map((li) => li.getAttribute("data-run-id") ?? "");
}

function item(el: HTMLElement, id: string): HTMLElement {
  return el.querySelector(`[data-run-id=${id}]`)!;
}

function typeInto(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  act(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

describe("runs panel", () => {
  it("lists the server's runs newest first with what changed and the final metrics", async () => {
    const { el } = await panel();
    expect(ids(el)).toEqual(["newer1", "older1", "theirs1"]);
    expect(item(el, "newer1").querySelector("[data-testid=run-diff]")?.textContent).toBe(
      "Δ optimizer/lr 0.03 → 0.1",
    );
    expect(item(el, "older1").querySelector("[data-testid=run-diff]")?.textContent).toBe("first run");
    expect(item(el, "newer1").querySelector("[data-testid=run-metrics]")?.textContent).toBe(
      "loss 0.5 · acc 75%",
    );
  });

  it("asks with this browser's owner token and the chosen states", async () => {
    const { el, calls } = await panel();
    expect(calls[0]!.headers.get("X-Glassnet-Owner")).toBe(runOwner());
    const select = el.querySelector<HTMLSelectElement>("[data-testid=runs-state-filter]")!;
    act(() => {
      select.value = "live";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await settle();
    const last = new URL(calls.at(-1)!.url);
    expect(last.searchParams.getAll("state")).toEqual(["created", "running", "paused", "stalled"]);
  });

  it("filters by text over summaries and changes", async () => {
    const { el } = await panel();
    typeInto(el.querySelector<HTMLInputElement>("[data-testid=runs-text-filter]")!, "spiral");
    expect(ids(el)).toEqual(["theirs1"]);
    typeInto(el.querySelector<HTMLInputElement>("[data-testid=runs-text-filter]")!, "lr 0.1");
    expect(ids(el)).toEqual(["newer1"]);
  });

  it("offers delete on this browser's runs only, and deletes after a confirmation", async () => {
    const { el, calls } = await panel();
    expect(item(el, "theirs1").querySelector("[data-testid=delete-run]")).toBeNull();
    act(() => item(el, "older1").querySelector<HTMLButtonElement>("[data-testid=delete-run]")!.click());
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    act(() => item(el, "older1").querySelector<HTMLButtonElement>("[data-testid=confirm-delete]")!.click());
    await settle();
    const del = calls.find((c) => c.method === "DELETE")!;
    expect(new URL(del.url).pathname).toBe("/api/v1/runs/older1");
    expect(del.headers.get("X-Glassnet-Owner")).toBe(runOwner());
    expect(ids(el)).toEqual(["newer1", "theirs1"]);
  });

  it("links the four exports of a run that trained", async () => {
    const { el } = await panel();
    const hrefs = [...item(el, "older1").querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual([
      "/api/v1/runs/older1/export?format=safetensors",
      "/api/v1/runs/older1/export?format=py",
      "/api/v1/runs/older1/export?format=onnx",
      "/api/v1/runs/older1/metrics?format=csv",
    ]);
  });

  it("opens an ended run read-only: its spec in the editor, its last frame in the views", async () => {
    const { el, stores, watched, hub } = await panel();
    act(() => item(el, "older1").querySelector<HTMLButtonElement>("[data-testid=open-run]")!.click());
    await settle();
    expect(
      stores.specs
        .getState()
        .spec()
        .network.nodes.map((n) => n.id),
    ).toEqual(["x", "y"]);
    expect(stores.runs.getState().runId).toBe("older1");
    expect(stores.runs.getState().owner).toBeNull();
    expect(watched.at(-1)).toEqual(["older1", null]);
    expect(hub.latest?.step).toBe(20);
  });
});

describe("runs created in this browser", () => {
  it("are created under the browser's owner token", async () => {
    const createRun = vi.fn(async () => ({ ...run("new1", { state: "running" }), owner: "tok" }));
    const runs = createRunStore({
      api: { createRun } as unknown as ApiClient,
      hub: new TelemetryHub(),
      specs: createSpecStore(),
      socket: { watch: () => undefined, control: () => false, close: () => undefined },
      owner: () => "browser-token",
    });
    await runs.getState().play();
    expect(createRun).toHaveBeenCalledWith(expect.anything(), true, null, "browser-token");
  });
});
