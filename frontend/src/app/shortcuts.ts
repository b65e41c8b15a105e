/** Keyboard shortcut → action, pure so it can be tested without a DOM. */
export type ShortcutAction =
  | "togglePlay"
  | "step"
  | "epoch"
  | "reset"
  | "undo"
  | "redo"
  | "layout"
  | "legend"
  | "speedSlow"
  | "speedMedium"
  | "speedFull";

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey) {
    if (key === "z") return e.shiftKey ? "redo" : "undo";
    if (key === "y") return "redo";
    return null;
  }
  if (e.altKey || mod) return null;
  switch (key) {
    case " ":
      return "togglePlay";
    case "s":
      return "step";
    case "e":
      return "epoch";
    case "r":
      return "reset";
    case "l":
      return "layout";
    case "?":
      return "legend";
    case "1":
      return "speedSlow";
    case "2":
      return "speedMedium";
    case "3":
      return "speedFull";
    default:
      return null;
  }
}

/** Typing in a form field must never trigger a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select") return true;
  if (tag === "input") {
    const type = (el as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "range", "file"].includes(type);
  }
  return el.isContentEditable === true;
}
