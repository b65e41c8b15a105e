/**
 * Whether the many-runs page is open, which of its tabs shows, the sweep on show (with its owner
 * token, kept for this session only) and the runs picked for comparison.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { useStore } from "zustand";

export type ManyRunsTab = "sweep" | "compare";

export interface ManyRunsState {
  open: boolean;
  tab: ManyRunsTab;
  sweepId: string | null;
  owner: string | null;
  compareIds: string[];
  openPage: (tab?: ManyRunsTab) => void;
  close: () => void;
  setTab: (tab: ManyRunsTab) => void;
  showSweep: (id: string, owner: string | null) => void;
  compare: (ids: string[]) => void;
  toggleCompare: (id: string) => void;
}

export const MAX_COMPARED = 8;

export function createManyRunsStore(): StoreApi<ManyRunsState> {
  return createStore<ManyRunsState>()((set, get) => ({
    open: false,
    tab: "sweep",
    sweepId: null,
    owner: null,
    compareIds: [],
    openPage: (tab) => set({ open: true, tab: tab ?? get().tab }),
    close: () => set({ open: false }),
    setTab: (tab) => set({ tab }),
    showSweep: (id, owner) => set({ sweepId: id, owner, tab: "sweep", open: true }),
    compare: (ids) => set({ compareIds: ids.slice(0, MAX_COMPARED), tab: "compare", open: true }),
    toggleCompare: (id) => {
      const ids = get().compareIds;
      if (ids.includes(id)) set({ compareIds: ids.filter((x) => x !== id) });
      else if (ids.length < MAX_COMPARED) set({ compareIds: [...ids, id] });
    },
  }));
}

/** The app's one many-runs store. */
export const manyRunsStore = createManyRunsStore();

export function useManyRuns<T>(selector: (s: ManyRunsState) => T): T {
  return useStore(manyRunsStore, selector);
}
