/**
 * This browser's owner tokens. Every run created here is created under the run owner token, so the
 * runs stay this browser's (steerable, deletable) across reloads, and the server's history can say
 * what changed from this browser's previous run; saved experiments likewise under their own token.
 * Kept in localStorage; a per-tab token when storage is unavailable (held here, as the tab is one
 * browser identity whatever apps it shows).
 */
const RUN_OWNER_KEY = "glassnet.run-owner";
const tabTokens = new Map<string, string>();

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

function readKept(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** The token kept under `key`, made (and kept, where storage allows) on first use. */
export function ownerToken(key: string, storage: Storage | null = safeLocalStorage()): string {
  const kept = readKept(storage, key);
  if (kept) return kept;
  const token = tabTokens.get(key) ?? randomToken();
  tabTokens.set(key, token);
  try {
    storage?.setItem(key, token);
  } catch {
    // private windows may refuse to store: the tab keeps its token
  }
  return token;
}

export function runOwner(storage?: Storage | null): string {
  return ownerToken(RUN_OWNER_KEY, storage);
}
