/**
 * Whether textbook mode is open and what it traces: a preset (by id) or the network in the editor.
 * A small store of its own so the shell's toggle and the presets panel can open it without props.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { useStore } from "zustand";

/** What textbook mode traces: a preset's worked example, or the editor's current network. */
export type TextbookSource = { kind: "preset"; id: string } | { kind: "editor" };

export interface TextbookState {
  open: boolean;
  source: TextbookSource;
  openTextbook: (source?: TextbookSource) => void;
  close: () => void;
  toggle: () => void;
}

export type TextbookStore = StoreApi<TextbookState>;

export function createTextbookStore(): TextbookStore {
  return createStore<TextbookState>()((set, get) => ({
    open: false,
    source: { kind: "editor" },
    openTextbook: (source) => set({ open: true, source: source ?? get().source }),
    close: () => set({ open: false }),
    toggle: () => set((s) => ({ open: !s.open })),
  }));
}

/** The app's one textbook-mode store. */
export const textbookStore = createTextbookStore();

export function useTextbook<T>(selector: (s: TextbookState) => T): T {
  return useStore(textbookStore, selector);
}
