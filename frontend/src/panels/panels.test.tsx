import { act, type ReactNode } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { describe, expect, it, vi } from "vitest";
import { mount, setUpDom } from "../test/dom";
import serverCatalog from "../test/fixtures/catalog.json";
import { normalizeCatalog } from "../catalog/normalize";
import { ApiClient, type DataPreview } from "../net/api";
import { createStores, StoresProvider, type Stores } from "../store/context";
import { TelemetryHub } from "../telemetry/hub";
import { DataPanel } from "./DataPanel";
import { DataPreviewView } from "./DataPreview";
import { Inspector } from "./Inspector";
import { Palette } from "./Palette";
import { RunControls } from "./RunControls";
import { TrainingPanel } from "./TrainingPanel";

setUpDom();

function stores(): Stores {
  const fetchStub = vi.fn(async () => new Response("{}", { status: 200 }));
  const s = createStores({
    api: new ApiClient({ fetch: fetchStub as unknown as typeof fetch }),
    hub: new TelemetryHub(),
    socket: { watch: () => undefined, control: () => false, close: () => undefined },
  });
  s.catalog.setState({ catalog: normalizeCatalog(serverCatalog), status: "ready" });
  return s;
}

function render(ui: ReactNode, s: Stores): HTMLElement {
  return mount(
    <StoresProvider stores={s}>
      <ReactFlowProvider>{ui}</ReactFlowProvider>
    </StoresProvider>,
  );
}

/** Type into a React-controlled input the way a browser does. */
function type(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  act(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

describe("panels", () => {
  it("the palette lists every layer kind of the catalog", () => {
    const s = stores();
    const el = render(<Palette />, s);
    const kinds = [...el.querySelectorAll("[data-kind]")].map((b) => b.getAttribute("data-kind"));
    expect(kinds).toEqual([
      "input",
      "dense",
      "conv2d",
      "activation",
      "maxpool2d",
      "avgpool2d",
      "flatten",
      "dropout",
      "batchnorm",
      "add",
      "concat",
    ]);
  });

  it("the inspector edits an activation node's φ, a dropout's ρ with p in step, and batch norm's γ", () => {
    const s = stores();
    act(() => {
      s.specs.getState().loadSpec({
        version: 1,
        network: {
          nodes: [
            { id: "x", kind: "input", shape: [2] },
            { id: "h1", kind: "dense", units: 3, activation: "linear" },
            { id: "bn1", kind: "batchnorm" },
            { id: "phi1", kind: "activation", activation: "relu" },
            { id: "drop1", kind: "dropout", drop_probability: 0.5 },
          ],
          edges: [
            ["x", "h1"],
            ["h1", "bn1"],
            ["bn1", "phi1"],
            ["phi1", "drop1"],
          ],
        },
      });
      s.specs.getState().setValidation({
        revision: s.specs.getState().revision,
        status: "valid",
        problems: [],
        shapes: { x: [2], h1: [3], bn1: [3], phi1: [3], drop1: [3] },
      });
      s.specs.getState().select("phi1");
    });
    const node = (id: string) =>
      s.specs
        .getState()
        .spec()
        .network.nodes.find((n) => n.id === id);
    let el = render(<Inspector />, s);
    const activation = el.querySelector<HTMLSelectElement>("select[aria-label=activation]")!;
    act(() => {
      activation.value = "sigmoid";
      activation.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(node("phi1")).toMatchObject({ kind: "activation", activation: "sigmoid" });

    act(() => s.specs.getState().select("drop1"));
    el = render(<Inspector />, s);
    type(el.querySelector<HTMLInputElement>("input[aria-label=keep_probability]")!, "0.8");
    expect(node("drop1")).toMatchObject({ keep_probability: 0.8, drop_probability: 0.2 });
    type(el.querySelector<HTMLInputElement>("input[aria-label=drop_probability]")!, "0.3");
    expect(node("drop1")).toMatchObject({ keep_probability: 0.7, drop_probability: 0.3 });

    act(() => s.specs.getState().select("bn1"));
    el = render(<Inspector />, s);
    expect(el.querySelector<HTMLInputElement>("input[aria-label=gamma]")!.placeholder).toBe("3 × 1");
    type(el.querySelector<HTMLInputElement>("input[aria-label=gamma]")!, "2, 2, 0.5");
    type(el.querySelector<HTMLInputElement>("input[aria-label=beta]")!, "0.5 0 0");
    expect(node("bn1")).toMatchObject({ gamma: [2, 2, 0.5], beta: [0.5, 0, 0] });
  });

  it("the training panel sets data-parallel workers, async mode and staleness, and turns them off", () => {
    const s = stores();
    const el = render(<TrainingPanel />, s);
    const parallel = () => s.specs.getState().spec().training?.parallel;
    expect(el.querySelector("select[aria-label='parallel mode']")).toBeNull();
    type(el.querySelector<HTMLInputElement>("input[aria-label=workers]")!, "4");
    expect(parallel()).toEqual({ workers: 4, mode: "sync", staleness: 0 });
    const mode = el.querySelector<HTMLSelectElement>("select[aria-label='parallel mode']")!;
    act(() => {
      mode.value = "async";
      mode.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(parallel()).toEqual({ workers: 4, mode: "async", staleness: 1 });
    type(el.querySelector<HTMLInputElement>("input[aria-label=staleness]")!, "3");
    expect(parallel()).toEqual({ workers: 4, mode: "async", staleness: 3 });
    type(el.querySelector<HTMLInputElement>("input[aria-label=workers]")!, "");
    expect(parallel() ?? null).toBeNull();
  });

  it("the training panel sets a loss threshold and early stopping's fields, and turns early stopping off", () => {
    const s = stores();
    const el = render(<TrainingPanel />, s);
    const stop = () => s.specs.getState().spec().training?.stop;
    const toggle = (label: string) => {
      const named = [...el.querySelectorAll("label")].find((l) => l.textContent === label)!;
      act(() => named.parentElement!.querySelector("input")!.click());
    };
    type(el.querySelector<HTMLInputElement>("input[aria-label='stop when loss below']")!, "0.01");
    expect(stop()?.loss_below).toBe(0.01);
    expect(el.querySelector("input[aria-label=patience]")).toBeNull();
    toggle("early stopping");
    const defaults = { patience: 10, min_delta: 0, monitor: "val_loss", restore_best: true };
    expect(stop()).toMatchObject({ loss_below: 0.01, early_stopping: defaults });
    type(el.querySelector<HTMLInputElement>("input[aria-label=patience]")!, "4");
    type(el.querySelector<HTMLInputElement>("input[aria-label='min improvement']")!, "0.001");
    const monitor = el.querySelector<HTMLSelectElement>("select[aria-label=monitor]")!;
    act(() => {
      monitor.value = "loss";
      monitor.dispatchEvent(new Event("change", { bubbles: true }));
    });
    toggle("restore best weights");
    expect(stop()).toMatchObject({
      loss_below: 0.01,
      early_stopping: { patience: 4, min_delta: 0.001, monitor: "loss", restore_best: false },
    });
    toggle("early stopping");
    expect(stop()?.early_stopping ?? null).toBeNull();
    expect(stop()?.loss_below).toBe(0.01);
  });

  it("the inspector edits units and activation of the selected layer", () => {
    const s = stores();
    act(() => s.specs.getState().select("h1"));
    const el = render(<Inspector />, s);
    const units = el.querySelector<HTMLInputElement>("input[aria-label=units]")!;
    expect(units.value).toBe("4");
    type(units, "7");
    expect(s.specs.getState().spec().network.nodes[1]).toMatchObject({ id: "h1", units: 7 });
    type(units, "-");
    expect(units.getAttribute("aria-invalid")).toBe("true");
    expect(s.specs.getState().spec().network.nodes[1]).toMatchObject({ units: 7 });
    const activation = el.querySelector<HTMLSelectElement>("select[aria-label=activation]")!;
    act(() => {
      activation.value = "relu";
      activation.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(s.specs.getState().spec().network.nodes[1]).toMatchObject({ activation: "relu" });
  });

  it("the inspector edits an rnn's activation and types its W_hh and W_hx by hand", () => {
    const s = stores();
    act(() => {
      s.specs.getState().loadSpec({
        version: 1,
        network: {
          nodes: [
            { id: "x", kind: "input", shape: [3, 2] },
            { id: "r", kind: "rnn", units: 2, activation: "tanh" },
          ],
          edges: [["x", "r"]],
        },
      });
      s.specs.getState().setValidation({
        revision: s.specs.getState().revision,
        status: "valid",
        problems: [],
        shapes: { x: [3, 2], r: [2] },
      });
      s.specs.getState().select("r");
    });
    const el = render(<Inspector />, s);
    const node = () => s.specs.getState().spec().network.nodes[1];
    const activation = el.querySelector<HTMLSelectElement>("select[aria-label=activation]")!;
    act(() => {
      activation.value = "relu";
      activation.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(node()).toMatchObject({ activation: "relu" });
    const byHand = Array.from(el.querySelectorAll("button")).find(
      (b) => b.textContent === "Set weights by hand",
    )!;
    act(() => byHand.click());
    expect(node()).toMatchObject({
      weights: {
        hh: [
          [0, 0],
          [0, 0],
        ],
        hx: [
          [0, 0],
          [0, 0],
        ],
      },
      bias: [0, 0],
    });
    type(el.querySelector<HTMLInputElement>("input[aria-label='hx W2,1']")!, "0.5");
    expect(node()).toMatchObject({
      weights: {
        hx: [
          [0, 0],
          [0.5, 0],
        ],
      },
    });
  });

  it("the inspector shows a layer's problems and offers the flatten fix", () => {
    const s = stores();
    act(() => {
      s.specs.getState().select("h1");
      s.specs.getState().setValidation({
        revision: s.specs.getState().revision,
        status: "invalid",
        problems: [
          {
            pointer: "/network/nodes/1",
            message:
              "dense 'h1' expects a 1-D input [n] but 'x' gives [1, 8, 8]; put a flatten node between them.",
          },
        ],
      });
    });
    const el = render(<Inspector />, s);
    expect(el.textContent).toContain("expects a 1-D input");
    act(() => el.querySelector<HTMLButtonElement>("[data-testid=insert-flatten]")!.click());
    expect(s.specs.getState().spec().network.edges).toContainEqual(["flat1", "h1"]);
  });

  it("the run bar disables play while the spec is invalid and shows errors in words", () => {
    const s = stores();
    act(() =>
      s.specs
        .getState()
        .setValidation({ revision: s.specs.getState().revision, status: "invalid", problems: [] }),
    );
    const el = render(<RunControls />, s);
    expect(el.querySelector<HTMLButtonElement>("[data-testid=play]")!.disabled).toBe(true);
    act(() =>
      s.runs.getState().setError("The server is busy (too many runs or viewers). Try again in a moment."),
    );
    expect(el.querySelector("[role=alert]")!.textContent).toContain("server is busy");
  });

  it("the run bar offers Resume on an interrupted run this page owns", () => {
    const s = stores();
    const el = render(<RunControls />, s);
    expect(el.querySelector("[data-testid=resume-interrupted]")).toBeNull();
    act(() => s.runs.setState({ runId: "r1", owner: "tok", state: "interrupted", checkpointStep: 40 }));
    const button = el.querySelector<HTMLButtonElement>("[data-testid=resume-interrupted]")!;
    expect(button.title).toContain("step 40");
    act(() => s.runs.setState({ owner: null }));
    expect(el.querySelector("[data-testid=resume-interrupted]")).toBeNull();
  });

  it("a feature toggled on or off resizes the input layer in the same edit", () => {
    const s = stores();
    s.specs.getState().setData({ dataset: "circle", features: ["x", "y"] });
    const inputShape = () =>
      s.specs
        .getState()
        .spec()
        .network.nodes.find((n) => n.kind === "input")?.shape;
    const el = render(<DataPanel />, s);
    act(() => (el.querySelector("[data-testid='feature-x2']") as HTMLButtonElement).click());
    expect(s.specs.getState().rest.data.features).toEqual(["x", "y", "x2"]);
    expect(inputShape()).toEqual([3]);
    act(() => s.specs.getState().undo());
    expect(inputShape()).toEqual([2]);
    expect(s.specs.getState().rest.data.features).toEqual(["x", "y"]);
  });

  it("the data preview draws a table of rows with their split", () => {
    const preview: DataPreview = {
      dataset: "power_plant",
      title: "Power plant",
      description: "",
      kind: "table",
      task: "regression",
      n_train: 4,
      n_val: 0,
      input_shape: [2],
      feature_names: ["ambient temperature", "relative humidity"],
      target_names: ["electrical output"],
      table: {
        columns: ["ambient temperature", "relative humidity", "electrical output"],
        rows: [[0.04, 0.48, 0.7667]],
        split: ["train"],
      },
      points: null,
      bounds: null,
      images: null,
      sequences: null,
    };
    const el = render(<DataPreviewView preview={preview} />, stores());
    expect([...el.querySelectorAll("th")].map((t) => t.textContent)).toEqual([
      "ambient temperature",
      "relative humidity",
      "electrical output",
      "split",
    ]);
    expect(el.querySelector("th.target")!.textContent).toBe("electrical output");
    expect(el.querySelector("tbody td")!.textContent).toBe("0.04");
  });

  it("the data preview writes out each sequence's first steps and its target", () => {
    const preview: DataPreview = {
      dataset: "adding",
      title: "Adding problem",
      description: "",
      kind: "sequences",
      task: "regression",
      n_train: 1,
      n_val: 0,
      input_shape: [14, 2],
      feature_names: ["value", "marker"],
      target_names: ["sum"],
      sequences: {
        inputs: [Array.from({ length: 14 }, (_, t) => [t / 10, t === 2 || t === 5 ? 1 : 0])],
        targets: [[0.7]],
        split: ["train"],
      },
      table: null,
      points: null,
      bounds: null,
      images: null,
    };
    const el = render(<DataPreviewView preview={preview} />, stores());
    const cells = [...el.querySelectorAll("[data-testid='sequence-preview'] tbody td")];
    expect(cells[0]!.textContent).toMatch(/^0 0 \| 0\.1 0 \| 0\.2 1 \| .* … \(14 steps\)$/);
    expect(cells.map((c) => c.textContent).slice(1)).toEqual(["0.7", "train"]);
  });
});
