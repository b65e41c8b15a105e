/**
 * The thin I/O wrapper around the pure codec: reads the setup from the address bar on load, writes
 * it back after edits (one history entry per burst of edits), and follows back/forward.
 */
import { ApiError, type ApiClient } from "../net/api";
import type { SpecStore } from "../store/specStore";
import { decode, queryFor, readQuery } from "./codec";

const WRITE_DEBOUNCE_MS = 400;
const NEW_ENTRY_AFTER_MS = 1500;

/** Load what the URL describes into the store. Returns a plain-language error, or null. */
export async function loadFromUrl(
  specs: SpecStore,
  api: ApiClient,
  search = window.location.search,
): Promise<string | null> {
  const { s, e } = readQuery(search);
  if (e) {
    try {
      const exp = await api.experiment(e);
      specs.getState().loadSpec(exp.spec, { title: exp.name, history: false });
      return null;
    } catch (error) {
      return error instanceof ApiError && error.status === 404
        ? `The shared experiment '${e}' does not exist (it may have been deleted).`
        : `The shared experiment '${e}' could not be loaded: ${(error as Error).message}`;
    }
  }
  if (s) {
    const result = decode(s);
    if (!result.ok) return result.error;
    specs
      .getState()
      .loadSpec(result.value.spec, { positions: result.value.positions ?? null, history: false });
  }
  return null;
}

/** Keep the address bar in step with the store. Returns the function that stops it. */
export function syncUrl(specs: SpecStore, onError: (message: string | null) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPush = 0;
  let applying = false;

  const write = () => {
    const state = specs.getState();
    const query = queryFor({ spec: state.spec(), positions: state.positions() });
    if (query === window.location.search) return;
    const now = Date.now();
    const url = `${window.location.pathname}${query}${window.location.hash}`;
    if (now - lastPush > NEW_ENTRY_AFTER_MS) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    lastPush = now;
  };

  const unsubscribe = specs.subscribe((s, prev) => {
    if (applying) return;
    const moved = s.nodes !== prev.nodes && s.past.length !== prev.past.length;
    if (s.revision === prev.revision && !moved) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, WRITE_DEBOUNCE_MS);
  });

  const onPop = () => {
    const { s } = readQuery(window.location.search);
    if (!s) return;
    const result = decode(s);
    if (!result.ok) {
      onError(result.error);
      return;
    }
    onError(null);
    applying = true;
    try {
      specs.getState().loadSpec(result.value.spec, { positions: result.value.positions ?? null });
    } finally {
      applying = false;
    }
  };
  window.addEventListener("popstate", onPop);
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    window.removeEventListener("popstate", onPop);
  };
}
