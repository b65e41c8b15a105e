/**
 * The app's stores, created once per app and provided through React context: nothing an app holds
 * lives in a module, so two apps on one page (or two tests) never share state. `useSpecStore(selector)`
 * and the other hooks throw outside the provider; pick narrow slices (useShallow for several).
 */
import { createContext, useContext, useState, type ReactNode } from "react";
import { useStore } from "zustand";
import { createClassStore, type ClassStore } from "../classroom/store";
import { ApiClient } from "../net/api";
import { TelemetrySocket } from "../net/socket";
import { runOwner } from "../runs/owner";
import { createManyRunsStore, type ManyRunsState, type ManyRunsStore } from "../sweeps/store";
import { TelemetryHub } from "../telemetry/hub";
import { createTextbookStore, type TextbookState, type TextbookStore } from "../textbook/store";
import type { RunSpec } from "../spec/types";
import { createViewState, type ViewState } from "../views/state";
import { createRunStore, type RunControlState, type RunSocket, type RunStore } from "./runStore";
import { createSpecStore, type SpecState, type SpecStore } from "./specStore";
import { createCatalogStore, type CatalogState, type CatalogStore } from "./catalogStore";

export interface Stores {
  specs: SpecStore;
  runs: RunStore;
  catalog: CatalogStore;
  api: ApiClient;
  /** Telemetry of the watched run, fed by this app's socket. */
  hub: TelemetryHub;
  /** The live views' frame timeline and overlaid runs, fed by `hub`. */
  views: ViewState;
  textbook: TextbookStore;
  manyRuns: ManyRunsStore;
  classroom: ClassStore;
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
  const api = options.api ?? new ApiClient();
  const hub = options.hub ?? new TelemetryHub();
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
  const views = createViewState(hub);
  // A new run is labelled by how its spec differs from the previous run's: the spec being edited is
  // the one a run started from the UI was created with.
  views.specFor = () => specs.getState().spec();
  return {
    specs,
    runs,
    catalog,
    api,
    hub,
    views,
    textbook: createTextbookStore(),
    manyRuns: createManyRunsStore(),
    classroom: createClassStore(api),
  };
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

/** Textbook mode: open or not, what it traces, where the walk is. */
export function useTextbook<T>(selector: (s: TextbookState) => T): T {
  return useStore(useStores().textbook, selector);
}

/** The many-runs page: open or not, its tab, the sweep on show, the runs compared. */
export function useManyRuns<T>(selector: (s: ManyRunsState) => T): T {
  return useStore(useStores().manyRuns, selector);
}
