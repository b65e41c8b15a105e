/**
 * Whether textbook mode is open, what it traces (a preset, by id, or the network in the editor) and
 * where the walk through the iteration is. A small store of its own (one per app, in the store
 * context) so the shell's toggle, the presets panel and the URL sync can open it without props.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { START, type Place } from "./logic/steps";

/** What textbook mode traces: a preset's worked example, or the editor's current network. */
export type TextbookSource = { kind: "preset"; id: string } | { kind: "editor" };

export interface TextbookState {
  open: boolean;
  source: TextbookSource;
  /** The stage and example reached; back to the start whenever the mode is (re)opened. */
  place: Place;
  openTextbook: (source?: TextbookSource, place?: Place) => void;
  setPlace: (place: Place) => void;
  close: () => void;
}

export type TextbookStore = StoreApi<TextbookState>;

export function createTextbookStore(): TextbookStore {
  return createStore<TextbookState>()((set, get) => ({
    open: false,
    source: { kind: "editor" },
    place: START,
    openTextbook: (source, place) =>
      set({ open: true, source: source ?? get().source, place: place ?? START }),
    setPlace: (place) => {
      const now = get().place;
      if (place.stage !== now.stage || place.example !== now.example) set({ place });
    },
    close: () => set({ open: false }),
  }));
}
