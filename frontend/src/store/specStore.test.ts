import { describe, expect, it } from "vitest";
import { defaultSpec } from "../spec/defaults";
import { createSpecStore } from "./specStore";

describe("spec store", () => {
  it("compiles the initial spec back unchanged", () => {
    const store = createSpecStore();
    expect(store.getState().spec()).toEqual(defaultSpec());
  });

  it("adds an lstm with its defaults and undoes a per-gate initialiser", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const id = s().addNode("lstm", { x: 900, y: 0 }, "y");
    expect(id).toBe("lstm1");
    const node = () =>
      s()
        .spec()
        .network.nodes.find((n) => n.id === "lstm1");
    expect(node()).toEqual({ id: "lstm1", kind: "lstm", units: 4, return_sequences: false });
    s().updateNode("lstm1", { init: { forget: { bias: 2 } } }, "init:forget:bias");
    expect(node()).toMatchObject({ init: { forget: { bias: 2 } } });
    s().undo();
    expect(node()).not.toHaveProperty("init");
  });

  it("adds, connects, edits and removes nodes with undo and redo", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const id = s().addNode("dense", { x: 900, y: 0 }, "y");
    expect(id).toBe("h3");
    expect(s().selectedId).toBe("h3");
    expect(s().edges.some((e) => e.source === "y" && e.target === "h3")).toBe(true);
    s().updateNode("h3", { units: 5 });
    expect(
      s()
        .spec()
        .network.nodes.find((n) => n.id === "h3"),
    ).toMatchObject({ units: 5 });
    s().removeNodes(["h3"]);
    expect(s().nodes.some((n) => n.id === "h3")).toBe(false);
    expect(s().edges.some((e) => e.target === "h3")).toBe(false);
    expect(s().selectedId).toBeNull();
    s().undo();
    expect(
      s()
        .spec()
        .network.nodes.find((n) => n.id === "h3"),
    ).toMatchObject({ units: 5 });
    s().undo();
    s().undo();
    expect(s().nodes.some((n) => n.id === "h3")).toBe(false);
    s().redo();
    expect(s().nodes.some((n) => n.id === "h3")).toBe(true);
  });

  it("coalesces a burst of edits to one field into one undo step", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    s().updateNode("h1", { units: 5 });
    s().updateNode("h1", { units: 50 });
    s().updateNode("h1", { units: 5 });
    s().setTraining({ epochs: 7 });
    expect(s().past.length).toBe(2);
    s().undo();
    s().undo();
    expect(s().spec()).toEqual(defaultSpec());
  });

  it("connects once and never to itself; renames keep edges", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const before = s().edges.length;
    s().onConnect({ source: "x", target: "h1", sourceHandle: null, targetHandle: null });
    s().onConnect({ source: "h2", target: "h2", sourceHandle: null, targetHandle: null });
    expect(s().edges.length).toBe(before);
    expect(s().renameNode("h1", "hidden")).toBe(true);
    expect(s().renameNode("hidden", "h2")).toBe(false);
    expect(s().renameNode("hidden", "9bad")).toBe(false);
    expect(s().spec().network.edges).toContainEqual(["x", "hidden"]);
  });

  it("applies validation only for the current revision and keeps unchanged shapes while invalid", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const r0 = s().revision;
    s().setValidation({
      revision: r0,
      status: "valid",
      problems: [],
      shapes: { x: [2], h1: [4], h2: [2], y: [1] },
      parameters: {},
      parameterCount: 25,
    });
    expect(s().validation.parameterCount).toBe(25);
    s().updateNode("h2", { units: 0 } as never);
    s().setValidation({ revision: r0, status: "valid", problems: [] });
    expect(s().validation.revision).toBe(r0);
    s().setValidation({
      revision: s().revision,
      status: "invalid",
      problems: [{ pointer: "/network/nodes/2/units", message: "'units' must be at least 1" }],
    });
    expect(s().validation.mapped.byNode.h2).toHaveLength(1);
    expect(s().validation.shapes.h1).toEqual([4]);
    expect(s().validation.shapes.h2).toBeUndefined();
    expect(s().validation.shapes.y).toBeUndefined(); // its input changed
  });

  it("loads a spec with positions, without history when asked", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const spec = { ...defaultSpec(), seed: 9 };
    s().loadSpec(spec, {
      positions: { x: { x: 1, y: 2 }, h1: { x: 301, y: 4 }, h2: { x: 601, y: 6 }, y: { x: 901, y: 8 } },
      history: false,
      title: "T",
    });
    expect(s().past.length).toBe(0);
    expect(s().title).toBe("T");
    expect(s().positions().h2).toEqual({ x: 601, y: 6 });
    expect(s().spec().seed).toBe(9);
    expect(s().loads).toBe(1);
  });

  it("records a finished drag as one undo step without a new revision", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const r = s().revision;
    s().onNodesChange([{ type: "position", id: "h1", position: { x: 50, y: 60 }, dragging: true }]);
    s().onNodesChange([{ type: "position", id: "h1", position: { x: 55, y: 65 }, dragging: false }]);
    expect(s().revision).toBe(r);
    expect(s().past.length).toBe(1);
    s().onNodesChange([{ type: "remove", id: "h1" }]);
    expect(s().edges.some((e) => e.source === "h1" || e.target === "h1")).toBe(false);
    expect(s().revision).toBe(r + 1);
  });
});

describe("inserting layers", () => {
  it("splices a node into the selected layer's only outgoing edge and shifts what follows", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    const yBefore = s().nodes.find((n) => n.id === "y")!.position.x;
    const id = s().insertAfter("dropout", "h1");
    expect(id).toBe("drop1");
    expect(s().spec().network.edges).toEqual([
      ["x", "h1"],
      ["h1", "drop1"],
      ["drop1", "h2"],
      ["h2", "y"],
    ]);
    expect(s().nodes.find((n) => n.id === "y")!.position.x).toBeGreaterThan(yBefore);
    expect(s().selectedId).toBe("drop1");
  });

  it("appends after the output and inserts a flatten on an edge", () => {
    const store = createSpecStore();
    const s = () => store.getState();
    s().insertAfter("dense", "y");
    expect(s().spec().network.edges).toContainEqual(["y", "h3"]);
    expect(s().insertBetween("x", "h1", "flatten")).toBe("flat1");
    expect(s().spec().network.edges).toContainEqual(["flat1", "h1"]);
    expect(s().insertBetween("x", "nope", "flatten")).toBeNull();
  });
});
