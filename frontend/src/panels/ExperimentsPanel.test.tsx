import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { mount, setUpDom } from "../test/dom";
import { ApiClient, type ExperimentPublic } from "../net/api";
import { createStores, StoresProvider } from "../store/context";
import { TelemetryHub } from "../telemetry/hub";
import { ExperimentsPanel, experimentOwner } from "./ExperimentsPanel";

setUpDom();

function experiment(id: string, name: string, mine: boolean): ExperimentPublic {
  const spec = { network: { nodes: [] } } as unknown as ExperimentPublic["spec"];
  const at = "2026-01-01T00:00:00Z";
  return { id, name, spec, mine, created_at: at, updated_at: at };
}

/** The panel over a server that holds one experiment of mine and one of someone else's. */
async function panel(): Promise<{ el: HTMLElement; calls: Request[] }> {
  const calls: Request[] = [];
  const list = [experiment("mine1", "my xor", true), experiment("theirs1", "their spiral", false)];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(`http://test${String(input)}`, init));
    const body = init?.method === "GET" ? { experiments: list, count: 2, total: 2 } : {};
    return new Response(JSON.stringify(body), { status: 200 });
  });
  const stores = createStores({
    api: new ApiClient({ fetch: fetchStub as unknown as typeof fetch }),
    hub: new TelemetryHub(),
    socket: { watch: () => undefined, control: () => false, close: () => undefined },
  });
  const el = mount(
    <StoresProvider stores={stores}>
      <ExperimentsPanel />
    </StoresProvider>,
  );
  await act(async () => {
    await Promise.resolve();
  });
  return { el, calls };
}

function names(list: Element | null): string[] {
  return [...(list?.querySelectorAll("li > button:first-child") ?? [])].map((b) => b.textContent ?? "");
}

describe("experiments panel", () => {
  it("shows my experiments and the ones shared with me apart", async () => {
    const { el } = await panel();
    expect(names(el.querySelector("[data-testid=my-experiments]"))).toEqual(["my xor"]);
    expect(names(el.querySelector("[data-testid=shared-experiments]"))).toEqual(["their spiral"]);
  });

  it("offers rename and delete on mine only", async () => {
    const { el } = await panel();
    const labels = [...el.querySelectorAll("button[aria-label]")].map((b) => b.getAttribute("aria-label"));
    expect(labels).toEqual(["rename my xor", "delete my xor"]);
  });

  it("lists and deletes with this browser's owner token", async () => {
    const { el, calls } = await panel();
    const token = experimentOwner();
    expect(calls[0].headers.get("X-Glassnet-Owner")).toBe(token);
    const del = el.querySelector<HTMLButtonElement>("button[aria-label='delete my xor']");
    await act(async () => {
      del?.click();
      await Promise.resolve();
    });
    const sent = calls.find((c) => c.method === "DELETE");
    expect(sent?.url).toBe("http://test/api/v1/experiments/mine1");
    expect(sent?.headers.get("X-Glassnet-Owner")).toBe(token);
  });

  it("keeps the owner token across reloads in storage", () => {
    const first = experimentOwner(window.localStorage);
    expect(first).toMatch(/^[0-9a-f]{36}$/);
    expect(experimentOwner(window.localStorage)).toBe(first);
  });
});
