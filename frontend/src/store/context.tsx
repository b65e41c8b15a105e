/**
 * The app's stores, created once and provided through React context. `useSpecStore(selector)` and
 * `useRunStore(selector)` throw outside the provider; pick narrow slices (useShallow for several).
 */
import { createContext, useContext, useState, type ReactNode } from "react";
import { useStore } from "zustand";
import { api as defaultApi, type ApiClient } from "../net/api";
import { TelemetrySocket } from "../net/socket";
import { runOwner } from "../runs/owner";
import { telemetry as defaultHub, type TelemetryHub } from "../telemetry/hub";
import type { RunSpec } from "../spec/types";
import { createRunStore, type RunControlState, type RunSocket, type RunStore } from "./runStore";
import { createSpecStore, type SpecState, type SpecStore } from "./specStore";
import { createCatalogStore, type CatalogState, type CatalogStore } from "./catalogStore";

export interface Stores {
  specs: SpecStore;
  runs: RunStore;
  catalog: CatalogStore;
  api: ApiClient;
  hub: TelemetryHub;
}

const StoresContext = createContext<Stores | null>(null);

export function createStores(
  options: {
    initial?: RunSpec;
    api?: ApiClient;
    hub?: TelemetryHub;
    socket?: RunSocket;
    owner?: () => string;
  } = {},
): Stores {
  const api = options.api ?? defaultApi;
  const hub = options.hub ?? defaultHub;
  const specs = createSpecStore(options.initial);
  // The socket reports into the run store, which does not exist yet when the socket is made.
  let runs: RunStore | null = null;
  const socket =
    options.socket ??
    new TelemetrySocket(hub, {
      onStatus: (s) => runs?.getState().setSocketStatus(s),
      onRunState: (m) => runs?.getState().applyRunState(m),
      onError: (e) => runs?.getState().setError(e.message),
    });
  runs = createRunStore({ api, hub, specs, socket, owner: options.owner ?? runOwner });
  const catalog = createCatalogStore(api);
  return { specs, runs, catalog, api, hub };
}

export function StoresProvider({ stores, children }: { stores?: Stores; children: ReactNode }) {
  const [value] = useState(() => stores ?? createStores());
  return <StoresContext.Provider value={value}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error("useStores must be used inside <StoresProvider>");
  return stores;
}

export function useSpecStore<T>(selector: (s: SpecState) => T): T {
  return useStore(useStores().specs, selector);
}

export function useRunStore<T>(selector: (s: RunControlState) => T): T {
  return useStore(useStores().runs, selector);
}

export function useCatalogStore<T>(selector: (s: CatalogState) => T): T {
  return useStore(useStores().catalog, selector);
}
