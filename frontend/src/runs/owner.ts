/**
 * This browser's run owner token: every run created here is created under it, so the runs stay this
 * browser's (steerable, deletable) across reloads, and the server's history can say what changed
 * from this browser's previous run. Kept in localStorage; a per-tab token when storage is unavailable.
 */
const OWNER_KEY = "glassnet.run-owner";
let tabOwner: string | null = null;

function randomToken(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readKept(storage: Storage | null): string | null {
  try {
    return storage?.getItem(OWNER_KEY) ?? null;
  } catch {
    return null;
  }
}

export function runOwner(storage: Storage | null = safeLocalStorage()): string {
  const kept = readKept(storage);
  if (kept) return kept;
  const token = tabOwner ?? randomToken();
  tabOwner = token;
  try {
    storage?.setItem(OWNER_KEY, token);
  } catch {
    // private windows may refuse to store: the tab keeps its token
  }
  return token;
}
