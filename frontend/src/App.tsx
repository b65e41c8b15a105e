import { useCallback, useEffect, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { AppLayout } from "./app/AppLayout";
import { useClassroom } from "./classroom/useClassroom";
import { useKeyboard, useValidation } from "./app/hooks";
import { createStores, StoresProvider, type Stores } from "./store/context";
import { loadFromUrl, syncUrl } from "./url/sync";

function Wiring({ stores }: { stores: Stores }) {
  const [legend, setLegend] = useState(false);
  const [urlError, setUrlError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const toggleLegend = useCallback(() => setLegend((v) => !v), []);

  useEffect(() => {
    void stores.catalog.getState().load();
    let stop: (() => void) | null = null;
    let cancelled = false;
    void loadFromUrl(stores.specs, stores.textbook, stores.api).then((error) => {
      if (cancelled) return;
      setUrlError(error);
      setReady(true);
      stop = syncUrl(stores.specs, stores.textbook, setUrlError);
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [stores]);

  useClassroom(stores, ready, setUrlError);
  useValidation(stores);
  useKeyboard(stores, toggleLegend);
  return (
    <AppLayout
      ready={ready}
      urlError={urlError}
      onDismissUrlError={() => setUrlError(null)}
      legend={legend}
      onToggleLegend={toggleLegend}
    />
  );
}

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and curious students in the devtools console. */
    __glassnet?: Stores;
  }
}

export function App({ stores }: { stores?: Stores }) {
  const [value] = useState(() => {
    const created = stores ?? createStores();
    window.__glassnet = created;
    return created;
  });
  return (
    <StoresProvider stores={value}>
      <ReactFlowProvider>
        <Wiring stores={value} />
      </ReactFlowProvider>
    </StoresProvider>
  );
}
