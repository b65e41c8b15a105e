/**
 * The many-runs page in the address bar's hash, so a sweep or a comparison can be shared by link:
 * `#sweep=<id>` or `#compare=<id>,<id>,…`, with `&hist=diff&ref=<id>` when the comparison shows its
 * histograms as differences from run <id>. The query belongs to the editor's setup (url/sync.ts),
 * which keeps the hash as it is.
 */
import { useEffect } from "react";
import { useStores } from "../store/context";
import { MAX_COMPARED, type CompareView, type ManyRunsState } from "./store";

const ID = /^[A-Za-z0-9]{4,32}$/;

export type ManyRunsLink = { sweep: string } | { compare: string[]; view: CompareView } | null;

/** What a hash asks for (ids are checked: anything else is ignored). */
export function readLink(hash: string): ManyRunsLink {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const sweep = params.get("sweep");
  if (sweep && ID.test(sweep)) return { sweep };
  const compare = (params.get("compare") ?? "")
    .split(",")
    .filter((id) => ID.test(id))
    .slice(0, MAX_COMPARED);
  if (compare.length < 2) return null;
  const ref = params.get("ref");
  const view: CompareView = {
    mode: params.get("hist") === "diff" ? "difference" : "overlay",
    reference: ref && compare.includes(ref) ? ref : null,
  };
  return { compare, view };
}

/** The hash for what the page shows ("" when it is closed). */
export function linkFor(
  s: Pick<ManyRunsState, "open" | "tab" | "sweepId" | "compareIds" | "compareMode" | "compareRef">,
): string {
  if (!s.open) return "";
  if (s.tab === "compare" && s.compareIds.length >= 2) {
    let hash = `#compare=${s.compareIds.join(",")}`;
    if (s.compareMode === "difference") {
      hash += "&hist=diff";
      if (s.compareRef && s.compareIds.includes(s.compareRef)) hash += `&ref=${s.compareRef}`;
    }
    return hash;
  }
  if (s.tab === "sweep" && s.sweepId) return `#sweep=${s.sweepId}`;
  return "";
}

/** Open the page a link asks for, once, and keep the hash in step with the page after. */
export function useManyRunsLink(): void {
  const { manyRuns } = useStores();
  useEffect(() => {
    const link = readLink(window.location.hash);
    if (link && "sweep" in link) manyRuns.getState().showSweep(link.sweep, null);
    if (link && "compare" in link) manyRuns.getState().compare(link.compare, link.view);
    return manyRuns.subscribe((s) => {
      const hash = linkFor(s);
      if (hash === window.location.hash || (!hash && !window.location.hash)) return;
      const url = `${window.location.pathname}${window.location.search}${hash}`;
      window.history.replaceState(window.history.state, "", url);
    });
  }, [manyRuns]);
}
