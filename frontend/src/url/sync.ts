/**
 * The thin I/O wrapper around the pure codec: reads the setup and textbook mode from the address bar
 * on load, writes them back after changes (one history entry per burst of edits), and follows
 * back/forward.
 */
import { ApiError, type ApiClient } from "../net/api";
import type { SpecStore } from "../store/specStore";
import type { TextbookState, TextbookStore } from "../textbook/store";
import { decode, encode, queryFor, readQuery, type TextbookLink } from "./codec";

const WRITE_DEBOUNCE_MS = 400;
const NEW_ENTRY_AFTER_MS = 1500;

function textbookLink(t: TextbookState): TextbookLink | null {
  return t.open ? { source: t.source, ...t.place } : null;
}

function applyTextbook(textbook: TextbookStore, link: TextbookLink | null): void {
  if (link) textbook.getState().openTextbook(link.source, { stage: link.stage, example: link.example });
  else if (textbook.getState().open) textbook.getState().close();
}

/** Load what the URL describes into the stores. Returns a plain-language error, or null. */
export async function loadFromUrl(
  specs: SpecStore,
  textbook: TextbookStore,
  api: ApiClient,
  search = window.location.search,
): Promise<string | null> {
  const { s, e, textbook: link } = readQuery(search);
  if (e) {
    try {
      const exp = await api.experiment(e);
      specs.getState().loadSpec(exp.spec, { title: exp.name, history: false });
    } catch (error) {
      return error instanceof ApiError && error.status === 404
        ? `The shared experiment '${e}' does not exist (it may have been deleted).`
        : `The shared experiment '${e}' could not be loaded: ${(error as Error).message}`;
    }
  } else if (s) {
    const result = await decode(s);
    if (!result.ok) return result.error;
    specs
      .getState()
      .loadSpec(result.value.spec, { positions: result.value.positions ?? null, history: false });
  }
  // Only once the setup is in: textbook mode may trace the editor's network.
  applyTextbook(textbook, link);
  return null;
}

/** Keep the address bar in step with the stores. Returns the function that stops it. */
export function syncUrl(
  specs: SpecStore,
  textbook: TextbookStore,
  onError: (message: string | null) => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPush = 0;
  let applying = false;
  let stopped = false;
  // While the setup is the one the URL was opened with, its `s` (or a saved experiment's `e`) is kept
  // as it is, so opening textbook mode on an old or short link does not rewrite the setup.
  let pristine = true;
  // Encoding is async (compression); a write that finishes after a newer one started is dropped.
  let writes = 0;

  const write = async () => {
    const seq = ++writes;
    const here = readQuery(window.location.search);
    let setup: { s: string | null; e: string | null } = here;
    if (!pristine) {
      const state = specs.getState();
      setup = { s: await encode({ spec: state.spec(), positions: state.positions() }), e: null };
    }
    if (stopped || seq !== writes) return;
    const query = queryFor({ ...setup, textbook: textbookLink(textbook.getState()) });
    if (query === window.location.search) return;
    const next = readQuery(query);
    const before = readQuery(window.location.search);
    // Stepping through the walk replaces the entry: Back undoes an edit or leaves textbook mode.
    const walkOnly =
      next.s === before.s &&
      next.e === before.e &&
      JSON.stringify(next.textbook?.source) === JSON.stringify(before.textbook?.source);
    const now = Date.now();
    const url = `${window.location.pathname}${query}${window.location.hash}`;
    if (!walkOnly && now - lastPush > NEW_ENTRY_AFTER_MS) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    lastPush = now;
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void write(), WRITE_DEBOUNCE_MS);
  };

  const stopSpecs = specs.subscribe((s, prev) => {
    if (applying) return;
    const moved = s.nodes !== prev.nodes && s.past.length !== prev.past.length;
    if (s.revision === prev.revision && !moved) return;
    pristine = false;
    schedule();
  });

  const stopTextbook = textbook.subscribe((t, prev) => {
    if (applying) return;
    if (t.open === prev.open && t.source === prev.source && t.place === prev.place) return;
    schedule();
  });

  const onPop = async () => {
    const search = window.location.search;
    const { s, textbook: link } = readQuery(search);
    const result = s ? await decode(s) : null;
    if (stopped || window.location.search !== search) return; // another back/forward came first
    if (result && !result.ok) {
      onError(result.error);
      return;
    }
    applying = true;
    try {
      if (result) {
        onError(null);
        specs.getState().loadSpec(result.value.spec, { positions: result.value.positions ?? null });
        pristine = true;
      }
      applyTextbook(textbook, link);
    } finally {
      applying = false;
    }
  };
  const popListener = () => void onPop();
  window.addEventListener("popstate", popListener);
  return () => {
    stopped = true;
    stopSpecs();
    stopTextbook();
    if (timer) clearTimeout(timer);
    window.removeEventListener("popstate", popListener);
  };
}
