/** localStorage for layout preferences; storage can be full or blocked (private windows, sandboxed frames), which only costs the preference. */
export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Store `value`, or forget the key when `value` is null. */
export function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // The layout still works; it is just not remembered.
  }
}
