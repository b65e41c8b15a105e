/**
 * Whether the many-runs page is open, which of its tabs shows, the sweep on show (with its owner
 * token: the tokens of sweeps made in this tab are kept for this session only), the runs picked
 * for comparison and how their histograms are shown (overlaid, or as differences from one run).
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { HistogramMode } from "./compareModel";

export type ManyRunsTab = "sweep" | "compare";

export interface CompareView {
  mode: HistogramMode;
  /** the run the differences are taken from (null: the first run compared) */
  reference: string | null;
}

export interface ManyRunsState {
  open: boolean;
  tab: ManyRunsTab;
  sweepId: string | null;
  owner: string | null;
  /** owner tokens of the sweeps made in this session, by sweep id */
  owners: Record<string, string>;
  compareIds: string[];
  compareMode: HistogramMode;
  compareRef: string | null;
  openPage: (tab?: ManyRunsTab) => void;
  close: () => void;
  setTab: (tab: ManyRunsTab) => void;
  showSweep: (id: string, owner: string | null) => void;
  compare: (ids: string[], view?: CompareView) => void;
  toggleCompare: (id: string) => void;
  setCompareView: (view: Partial<CompareView>) => void;
}

export const MAX_COMPARED = 8;

export type ManyRunsStore = StoreApi<ManyRunsState>;

export function createManyRunsStore(): ManyRunsStore {
  return createStore<ManyRunsState>()((set, get) => ({
    open: false,
    tab: "sweep",
    sweepId: null,
    owner: null,
    owners: {},
    compareIds: [],
    compareMode: "overlay",
    compareRef: null,
    openPage: (tab) => set({ open: true, tab: tab ?? get().tab }),
    close: () => set({ open: false }),
    setTab: (tab) => set({ tab }),
    showSweep: (id, owner) => {
      const owners = owner ? { ...get().owners, [id]: owner } : get().owners;
      set({ sweepId: id, owner: owner ?? owners[id] ?? null, owners, tab: "sweep", open: true });
    },
    compare: (ids, view) =>
      set({
        compareIds: ids.slice(0, MAX_COMPARED),
        tab: "compare",
        open: true,
        ...(view ? { compareMode: view.mode, compareRef: view.reference } : {}),
      }),
    toggleCompare: (id) => {
      const ids = get().compareIds;
      if (ids.includes(id)) set({ compareIds: ids.filter((x) => x !== id) });
      else if (ids.length < MAX_COMPARED) set({ compareIds: [...ids, id] });
    },
    setCompareView: (view) =>
      set({
        ...(view.mode !== undefined ? { compareMode: view.mode } : {}),
        ...(view.reference !== undefined ? { compareRef: view.reference } : {}),
      }),
  }));
}
