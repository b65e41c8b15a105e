/** Mounting React trees into jsdom for component tests: one tree at a time, removed after each test. */
import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll, vi } from "vitest";

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}

let root: Root | null = null;
let host: HTMLElement | null = null;

/** Call at a test file's top level: act() knows it runs in tests, canvases have no context (the
 * small plots simply skip drawing), and whatever `mount` rendered is unmounted after each test. */
export function setUpDom(): void {
  beforeAll(() => {
    globalThis.IS_REACT_ACT_ENVIRONMENT = true;
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  });
  afterEach(unmount);
}

/** Render `tree` into a fresh element attached to the document (replacing any earlier one). */
export function mount(tree: ReactNode): HTMLElement {
  unmount();
  host = document.createElement("div");
  document.body.append(host);
  const r = createRoot(host);
  root = r;
  act(() => r.render(tree));
  return host;
}

/** Remove the mounted tree, as a page reload would. */
export function unmount(): void {
  act(() => root?.unmount());
  host?.remove();
  root = null;
  host = null;
}
