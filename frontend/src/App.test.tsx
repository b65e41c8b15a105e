/**
 * Two apps on one page share nothing: each has its own API client (with its own server and owner
 * token), telemetry hub, view state, textbook store and many-runs page, all reached through the store
 * context of its own tree.
 */
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import serverCatalog from "./test/fixtures/catalog.json";
import { liveFrame } from "./test/fixtures/frames";
import { ApiClient } from "./net/api";
import { createStores, type Stores } from "./store/context";
import { START } from "./textbook/logic/steps";

interface Mounted {
  stores: Stores;
  host: HTMLElement;
  root: Root;
  requests: { method: string; url: string; body: unknown }[];
}

const mounted: Mounted[] = [];

beforeAll(() => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  // jsdom lays nothing out: the graph editor's observer never reports a size.
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

afterEach(() => {
  for (const m of mounted.splice(0)) {
    act(() => m.root.unmount());
    m.host.remove();
  }
  window.history.replaceState(null, "", "/");
});

/** A server behind `base` that knows the catalog, validates every spec and creates runs as asked. */
function serverAt(base: string, requests: Mounted["requests"]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : null;
    requests.push({ method: init?.method ?? "GET", url, body });
    const json = (v: unknown) => new Response(JSON.stringify(v), { status: 200 });
    const path = url.slice(base.length);
    if (path === "/catalog") return json(serverCatalog);
    if (path === "/presets") return json([]);
    if (path === "/validate") return json({ nodes: [], parameter_count: 0 });
    if (path === "/runs" && init?.method === "POST") {
      const owner = (body as { owner: string }).owner;
      return json({
        ...{ checkpoint_step: null, created_at: "2026-01-01T00:00:00Z", device: null, diagnosis: null },
        ...{ diff: null, ended_at: null, epoch: 0, executor: "process", experiment_id: null },
        ...{ latest_metrics: null, mine: true, name: null, spec: null, stop_reason: null },
        ...{ id: `run-${owner}`, owner, state: "running", step: 0 },
      });
    }
    return new Response(JSON.stringify({ detail: "not here" }), { status: 404 });
  }) as typeof fetch;
}

/** Mount a whole app in a root of its own, talking to the server at `/<name>/api/v1` as `name`. */
async function mountApp(name: string): Promise<Mounted> {
  const requests: Mounted["requests"] = [];
  const base = `/${name}/api/v1`;
  const stores = createStores({
    api: new ApiClient({ base, fetch: serverAt(base, requests) }),
    socket: { watch: () => undefined, control: () => false, close: () => undefined },
    owner: () => name,
  });
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  act(() => root.render(<App stores={stores} />));
  const m = { stores, host, root, requests };
  mounted.push(m);
  await until(() => expect(stores.catalog.getState().status).toBe("ready"));
  return m;
}

/** Wait until `assertion` holds, letting the apps' fetches and effects land inside act(). */
async function until(assertion: () => void): Promise<void> {
  await act(async () => {
    await vi.waitFor(assertion);
  });
}

const testId = (m: Mounted, id: string) => m.host.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe("two apps on one page", () => {
  it("each talk to their own server with their own owner token", async () => {
    const a = await mountApp("alice");
    const b = await mountApp("bob");
    await until(() => expect(testId(a, "play")?.hasAttribute("disabled")).toBe(false));

    act(() => testId(a, "play")!.click());
    await until(() => expect(a.stores.runs.getState().runId).toBe("run-alice"));

    const created = a.requests.filter((r) => r.method === "POST" && r.url.endsWith("/runs"));
    expect(created.map((r) => [r.url, (r.body as { owner: string }).owner])).toEqual([
      ["/alice/api/v1/runs", "alice"],
    ]);
    expect(b.requests.every((r) => r.url.startsWith("/bob/api/v1/"))).toBe(true);
    expect(b.requests.some((r) => r.url.endsWith("/runs"))).toBe(false);
    expect(b.stores.runs.getState().runId).toBeNull();
  });

  it("draw only the frames of their own hub", async () => {
    const a = await mountApp("alice");
    const b = await mountApp("bob");
    act(() => a.stores.runs.setState({ runId: "run-alice" }));

    act(() => void a.stores.hub.ingest(liveFrame({ run: "run-alice", seq: 1, step: 40, epoch: 2 })));
    // Both apps' counters are drawn in the same animation frame: once alice's shows the step, bob's
    // has been drawn from its own, empty hub.
    await until(() => expect(testId(a, "step-count")?.textContent).toBe("40"));
    expect(testId(b, "step-count")?.textContent).toBe("0");
    expect(b.stores.hub.latest).toBeNull();
    expect(a.stores.views.timeline.length).toBe(1);
    expect(b.stores.views.timeline.length).toBe(0);
  });

  it("open textbook mode and the many-runs page each for themselves", async () => {
    const a = await mountApp("alice");
    const b = await mountApp("bob");

    act(() => testId(a, "open-textbook")!.click());
    expect(testId(a, "textbook-mode")).not.toBeNull();
    expect(testId(b, "textbook-mode")).toBeNull();
    act(() => a.stores.textbook.getState().setPlace({ stage: 3, example: 1 }));
    expect(a.stores.textbook.getState().place).toEqual({ stage: 3, example: 1 });
    expect(b.stores.textbook.getState()).toMatchObject({ open: false, place: START });

    act(() => testId(b, "open-many-runs")!.click());
    expect(b.host.querySelector(".many-runs")).not.toBeNull();
    expect(a.host.querySelector(".many-runs")).toBeNull();
    await until(() => expect(b.requests.some((r) => r.url.startsWith("/bob/api/v1/sweeps"))).toBe(true));
    expect(a.requests.some((r) => r.url.includes("/sweeps"))).toBe(false);
  });
});
