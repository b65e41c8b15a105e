/** The catalog (layer kinds, activations, …, datasets) and the preset list, fetched once. */
import { createStore, type StoreApi } from "zustand/vanilla";
import { BUILTIN_CATALOG } from "../catalog/builtin";
import { normalizeCatalog } from "../catalog/normalize";
import type { AppCatalog } from "../catalog/types";
import { ApiError, type ApiClient, type PresetSummary } from "../net/api";

export interface CatalogState {
  catalog: AppCatalog;
  presets: PresetSummary[];
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
  load: () => Promise<void>;
}

export type CatalogStore = StoreApi<CatalogState>;

export function createCatalogStore(api: ApiClient): CatalogStore {
  return createStore<CatalogState>()((set, get) => ({
    catalog: BUILTIN_CATALOG,
    presets: [],
    status: "idle",
    error: null,
    load: async () => {
      if (get().status === "loading") return;
      set({ status: "loading" });
      const [catalog, presets] = await Promise.allSettled([api.catalog(), api.presets()]);
      const errors: string[] = [];
      if (catalog.status === "fulfilled") set({ catalog: normalizeCatalog(catalog.value) });
      else
        errors.push(
          catalog.reason instanceof ApiError ? catalog.reason.message : "The catalog could not be loaded.",
        );
      if (presets.status === "fulfilled") set({ presets: presets.value.presets ?? [] });
      else
        errors.push(
          presets.reason instanceof ApiError ? presets.reason.message : "The presets could not be loaded.",
        );
      set({ status: errors.length ? "error" : "ready", error: errors[0] ?? null });
    },
  }));
}
