import { describe, expect, it, vi } from "vitest";
import type { RoomState } from "../generated";
import type { ApiClient, RunWithSpec } from "../net/api";
import { createStores } from "../store/context";
import type { RunSocket } from "../store/runStore";
import { TelemetryHub } from "../telemetry/hub";
import { createTextbookStore } from "../textbook/store";
import { follow, lead } from "./follow";
import { createClassStore } from "./store";

const SPEC = {
  version: 1,
  network: {
    nodes: [
      { id: "x", kind: "input", shape: [2] },
      { id: "h1", kind: "dense", units: 3, activation: "tanh" },
      { id: "y", kind: "dense", units: 1, activation: "sigmoid" },
    ],
  },
  data: { dataset: "circle", n: 100 },
  training: { loss: "bce", epochs: 10 },
};

function room(extra: Partial<RoomState> = {}): RoomState {
  return {
    code: "K4TXRA",
    title: "Week 3",
    revision: 1,
    spec: SPEC,
    look_at: null,
    lesson: null,
    run_id: null,
    view: null,
    textbook: null,
    locked: [],
    hidden: [],
    paused: false,
    message: null,
    question: null,
    students: 0,
    forks: 0,
    ...extra,
  };
}

function setup() {
  const requests: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
  const api = {
    run: vi.fn(async (id: string): Promise<RunWithSpec> => ({
      id,
      name: null,
      experiment_id: null,
      state: "running",
      step: 7,
      epoch: 1,
      latest_metrics: null,
      stop_reason: null,
      diagnosis: null,
      device: null,
      executor: null,
      checkpoint_step: null,
      created_at: "",
      updated_at: "",
      ended_at: null,
      spec: null,
      summary: null,
      diff: null,
      mine: null,
    })),
    request: vi.fn(
      async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
        requests.push({ method, path, body, headers });
        return room();
      },
    ),
  } as unknown as ApiClient;
  const socket: RunSocket & { watched: [string, string | null][] } = {
    watched: [],
    watch(id, owner) {
      this.watched.push([id, owner]);
    },
    control: () => false,
    close: vi.fn(),
  };
  const stores = createStores({ api, socket, hub: new TelemetryHub() });
  const textbook = createTextbookStore();
  const cls = createClassStore(api, () => ({ close: vi.fn() }));
  return { stores, textbook, cls, socket, requests };
}

describe("follow (a student's page)", () => {
  it("loads the room's spec into the editor", () => {
    const { stores, textbook, cls } = setup();
    follow(stores, textbook, cls);
    cls.getState().receive(room());
    const nodes = stores.specs.getState().spec().network.nodes ?? [];
    expect(nodes.map((n) => n.id)).toEqual(["x", "h1", "y"]);
    expect(stores.specs.getState().spec().data?.dataset).toBe("circle");
  });

  it("watches the room's run read-only, without an owner token", async () => {
    const { stores, textbook, cls, socket } = setup();
    follow(stores, textbook, cls);
    cls.getState().receive(room({ run_id: "teacher-run" }));
    await vi.waitFor(() => expect(stores.runs.getState().runId).toBe("teacher-run"));
    expect(stores.runs.getState().owner).toBeNull();
    expect(socket.watched).toEqual([["teacher-run", null]]);
  });

  it("stops following the teacher's run once the student trains their own", async () => {
    const { stores, textbook, cls, socket } = setup();
    follow(stores, textbook, cls);
    cls.getState().setFollowing(false);
    cls.getState().receive(room({ run_id: "teacher-run" }));
    await Promise.resolve();
    expect(socket.watched).toEqual([]);
  });

  it("opens textbook mode at the teacher's step, moves with it, and closes with it", () => {
    const { stores, textbook, cls } = setup();
    follow(stores, textbook, cls);
    cls.getState().receive(room({ textbook: 2 }));
    expect(textbook.getState().open).toBe(true);
    expect(textbook.getState().place.stage).toBe(2);
    cls.getState().receive(room({ textbook: 3, revision: 2 }));
    expect(textbook.getState().place.stage).toBe(3);
    cls.getState().receive(room({ textbook: null, revision: 3 }));
    expect(textbook.getState().open).toBe(false);
  });

  it("shows the hint of the preset the teacher loaded, and a new one when it changes", () => {
    const { stores, textbook, cls } = setup();
    follow(stores, textbook, cls);
    cls.getState().receive(room({ look_at: "Look at: the Boundary view." }));
    expect(stores.specs.getState().lookAt).toBe("Look at: the Boundary view.");
    cls.getState().receive(room({ look_at: "Look at: the Loss view.", revision: 2 }));
    expect(stores.specs.getState().lookAt).toBe("Look at: the Loss view.");
    cls.getState().receive(room({ look_at: null, revision: 3 }));
    expect(stores.specs.getState().lookAt).toBeNull();
  });

  it("leaves the teacher's old run behind when the room moves on to another network", async () => {
    const { stores, textbook, cls } = setup();
    follow(stores, textbook, cls);
    cls.getState().receive(room({ run_id: "teacher-run" }));
    await vi.waitFor(() => expect(stores.runs.getState().runId).toBe("teacher-run"));
    const next = { ...SPEC, data: { dataset: "xor", n: 100 } };
    cls.getState().receive(room({ run_id: null, spec: next, revision: 2 }));
    await vi.waitFor(() => expect(stores.runs.getState().runId).toBeNull());
    expect(stores.specs.getState().spec().data?.dataset).toBe("xor");
  });

  it("ignores a state older than the one it has", () => {
    const { cls } = setup();
    cls.getState().receive(room({ revision: 5, paused: true }));
    cls.getState().receive(room({ revision: 4, paused: false }));
    expect(cls.getState().room?.paused).toBe(true);
  });
});

describe("lead (the teacher's page)", () => {
  it("a page back in its room leads with the spec and hint it has", async () => {
    const { stores, textbook, cls, requests } = setup();
    stores.specs.getState().loadSpec(SPEC as never, { title: "Circle", lookAt: "Look at: the Loss view." });
    cls.setState({ role: "teacher", code: "K4TXRA", token: "t0ken", entered: "resume" });
    lead(stores, textbook, cls);
    await vi.waitFor(() => expect(requests.some((r) => r.method === "PATCH")).toBe(true));
    const body = requests.find((r) => r.method === "PATCH")!.body as { spec: typeof SPEC; look_at: string };
    expect(body.look_at).toBe("Look at: the Loss view.");
    expect(body.spec.network.nodes.map((n) => n.id)).toEqual(["x", "h1", "y"]);
  });

  it("a room just opened is not sent the spec it was opened with again", async () => {
    // (the send waits a moment to gather changes: the fake clock runs it out)
    vi.useFakeTimers();
    try {
      const { stores, textbook, cls, requests } = setup();
      cls.setState({ role: "teacher", code: "K4TXRA", token: "t0ken", entered: "open" });
      lead(stores, textbook, cls);
      await vi.runAllTimersAsync();
      expect(requests.filter((r) => r.method === "PATCH")).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends the loaded preset's hint with its spec", async () => {
    const { stores, textbook, cls, requests } = setup();
    cls.setState({ role: "teacher", code: "K4TXRA", token: "t0ken" });
    lead(stores, textbook, cls);
    stores.specs.getState().loadSpec(SPEC as never, { title: "Circle", lookAt: "Look at: the Loss view." });
    await vi.waitFor(() => expect(requests.some((r) => r.method === "PATCH")).toBe(true));
    const body = requests.find((r) => r.method === "PATCH")!.body as { look_at: string };
    expect(body.look_at).toBe("Look at: the Loss view.");
  });

  it("going to a lesson step loads the step's network and hint on the teacher's page", async () => {
    const { stores, textbook, cls, requests } = setup();
    const stepped = room({
      revision: 2,
      look_at: "Look at: the Boundary view.",
      lesson: {
        id: "L1",
        title: "Week 3",
        step: 1,
        steps: 2,
        step_title: "Circle",
        note: null,
        preset: null,
      },
    });
    (stores.api.request as ReturnType<typeof vi.fn>).mockImplementation(
      async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
        requests.push({ method, path, body, headers });
        return stepped;
      },
    );
    cls.setState({ role: "teacher", code: "K4TXRA", token: "t0ken" });
    lead(stores, textbook, cls);
    await cls.getState().goToStep(1, "L1");
    const put = requests.find((r) => r.method === "PUT")!;
    expect(put.path).toBe("/rooms/K4TXRA/lesson");
    expect(put.body).toEqual({ lesson: "L1", step: 1 });
    expect(put.headers["X-Glassnet-Teacher"]).toBe("t0ken");
    await vi.waitFor(() => expect(stores.specs.getState().lookAt).toBe("Look at: the Boundary view."));
    expect(stores.specs.getState().title).toBe("Circle");
    expect(stores.specs.getState().spec().data?.dataset).toBe("circle");
  });

  it("sends the teacher's spec and textbook step to the room with the teacher token", async () => {
    const { stores, textbook, cls, requests } = setup();
    cls.setState({ role: "teacher", code: "K4TXRA", token: "t0ken" });
    lead(stores, textbook, cls);
    stores.specs.getState().loadSpec(SPEC as never, { title: "Circle" });
    textbook.getState().openTextbook({ kind: "editor" }, { stage: 4, example: 0 });
    await vi.waitFor(() => expect(requests.some((r) => r.method === "PATCH")).toBe(true));
    // the teacher's page also polls the class's forks: the room's change is its PATCH
    const patch = requests.find((r) => r.method === "PATCH")!;
    expect(patch.method).toBe("PATCH");
    expect(patch.path).toBe("/rooms/K4TXRA");
    expect(patch.headers["X-Glassnet-Teacher"]).toBe("t0ken");
    const body = patch.body as { spec: typeof SPEC; textbook: number };
    expect(body.textbook).toBe(4);
    expect(body.spec.network.nodes.map((n) => n.id)).toEqual(["x", "h1", "y"]);
  });
});
