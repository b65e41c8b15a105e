import { act } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mount, unmount, setUpDom } from "../test/dom";
import serverCatalog from "../test/fixtures/catalog.json";
import { normalizeCatalog } from "../catalog/normalize";
import { ApiClient } from "../net/api";
import { createStores, StoresProvider, type Stores } from "../store/context";
import { TelemetryHub } from "../telemetry/hub";
import { InspectorColumn, useInspectorColumn } from "./InspectorColumn";

setUpDom();
afterEach(() => localStorage.clear());

function Column() {
  const state = useInspectorColumn(false);
  return <InspectorColumn {...state} sideViews={null} />;
}

function render(): { el: HTMLElement; s: Stores } {
  const s = createStores({
    api: new ApiClient({ fetch: vi.fn(async () => new Response("{}")) as unknown as typeof fetch }),
    hub: new TelemetryHub(),
    socket: { watch: () => undefined, control: () => false, close: () => undefined },
  });
  s.catalog.setState({ catalog: normalizeCatalog(serverCatalog), status: "ready" });
  const el = mount(
    <StoresProvider stores={s}>
      <ReactFlowProvider>
        <Column />
      </ReactFlowProvider>
    </StoresProvider>,
  );
  return { el, s };
}

const click = (el: Element | null) => act(() => (el as HTMLElement).click());

describe("the inspector column", () => {
  it("is a strip until a layer is selected, and closing it deselects the layer", () => {
    const { el, s } = render();
    expect(el.querySelector("[data-testid=inspector-open]")).not.toBeNull();
    expect(el.querySelector(".inspector")).toBeNull();
    act(() => s.specs.getState().select("h1"));
    expect(el.querySelector("input[aria-label=units]")).not.toBeNull();
    click(el.querySelector("[data-testid=inspector-close]"));
    expect(s.specs.getState().selectedId).toBeNull();
    expect(el.querySelector("[data-testid=inspector-open]")).not.toBeNull();
  });

  it("opens on a click and stays open, also after a reload, until closed", () => {
    const first = render();
    click(first.el.querySelector("[data-testid=inspector-open]"));
    expect(first.el.querySelector(".inspector.empty")).not.toBeNull();
    unmount();
    const { el } = render();
    expect(el.querySelector(".inspector.empty")).not.toBeNull();
    click(el.querySelector("[data-testid=inspector-close]"));
    expect(el.querySelector("[data-testid=inspector-open]")).not.toBeNull();
    expect(localStorage.getItem("glassnet.layout.inspectorOpen")).toBeNull();
  });
});
