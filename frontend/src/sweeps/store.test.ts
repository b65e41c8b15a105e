import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../net/api";
import { createManyRunsStore, MAX_COMPARED } from "./store";

describe("many-runs store", () => {
  it("picks at most eight runs to compare, and unpicks", () => {
    const s = createManyRunsStore();
    for (let i = 0; i < MAX_COMPARED + 2; i++) s.getState().toggleCompare(`r${i}`);
    expect(s.getState().compareIds).toHaveLength(MAX_COMPARED);
    s.getState().toggleCompare("r0");
    expect(s.getState().compareIds).not.toContain("r0");
  });

  it("shows a new sweep on the sweep tab with its owner", () => {
    const s = createManyRunsStore();
    s.getState().showSweep("sw1", "token");
    expect(s.getState()).toMatchObject({ open: true, tab: "sweep", sweepId: "sw1", owner: "token" });
  });

  it("gives a sweep opened again the owner token it was made with in this session", () => {
    const s = createManyRunsStore();
    s.getState().showSweep("sw1", "token");
    s.getState().showSweep("sw2", null);
    expect(s.getState().owner).toBeNull();
    s.getState().showSweep("sw1", null);
    expect(s.getState().owner).toBe("token");
  });

  it("keeps the histogram view of a comparison, changed one part at a time", () => {
    const s = createManyRunsStore();
    expect(s.getState()).toMatchObject({ compareMode: "overlay", compareRef: null });
    s.getState().compare(["a1111", "b2222"], { mode: "difference", reference: "b2222" });
    expect(s.getState()).toMatchObject({ compareMode: "difference", compareRef: "b2222" });
    s.getState().setCompareView({ reference: "a1111" });
    expect(s.getState()).toMatchObject({ compareMode: "difference", compareRef: "a1111" });
    s.getState().setCompareView({ mode: "overlay" });
    expect(s.getState()).toMatchObject({ compareMode: "overlay", compareRef: "a1111" });
  });
});

describe("sweep and compare requests", () => {
  function client() {
    const calls: { url: string; init?: RequestInit }[] = [];
    const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), init });
      return new Response("{}", { status: 200 });
    });
    return { api: new ApiClient({ fetch: fetchStub as unknown as typeof fetch }), calls };
  }

  it("asks for a comparison of runs at a step", async () => {
    const { api, calls } = client();
    await api.compare(["a", "b"], 40);
    expect(calls[0]!.url).toBe("/api/v1/compare?runs=a%2Cb&step=40");
    await api.compare(["a", "b"]);
    expect(calls[1]!.url).toBe("/api/v1/compare?runs=a%2Cb");
  });

  it("sends the sweep's spec and axes, and stops it with the owner token", async () => {
    const { api, calls } = client();
    const spec = { network: { nodes: [] } } as unknown as Parameters<ApiClient["createSweep"]>[0];
    await api.createSweep(spec, [{ pointer: "/seed", values: [0, 1] }]);
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
      spec,
      axes: [{ pointer: "/seed", values: [0, 1] }],
      start: true,
    });
    await api.stopSweep("sw1", "tok");
    expect((calls[1]!.init?.headers as Record<string, string>)["X-Glassnet-Owner"]).toBe("tok");
    await api.runs({ sweep: "sw1" });
    expect(calls[2]!.url).toBe("/api/v1/runs?sweep=sw1&limit=100");
    await api.sweeps({ limit: 10, offset: 20 });
    expect(calls[3]!.url).toBe("/api/v1/sweeps?limit=10&offset=20");
  });
});
