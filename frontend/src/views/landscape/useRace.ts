/** Fetch a race whenever its request changes; the newest answer wins, older ones are dropped. */
import { useEffect, useState } from "react";
import { ApiError } from "../../net/api";
import { useStores } from "../../store/context";
import type { RaceRequest, RaceResponse } from "./race";

export interface RaceResult {
  data: RaceResponse | null;
  error: string | null;
  loading: boolean;
}

export function useRace(request: RaceRequest | null): RaceResult {
  const { api } = useStores();
  const [result, setResult] = useState<RaceResult>({ data: null, error: null, loading: false });
  const key = request ? JSON.stringify(request) : "";
  useEffect(() => {
    if (!key) return;
    let current = true;
    setResult((r) => ({ ...r, loading: true }));
    api
      .request<RaceResponse>("POST", "/landscape/trajectories", JSON.parse(key) as RaceRequest)
      .then((data) => current && setResult({ data, error: null, loading: false }))
      .catch((e: unknown) => {
        if (!current) return;
        const message = e instanceof ApiError ? e.message : String(e);
        setResult((r) => ({ ...r, error: message, loading: false }));
      });
    return () => {
      current = false;
    };
  }, [api, key]);
  return result;
}
