import { describe, expect, it } from "vitest";
import { isTypingTarget, shortcutFor } from "./shortcuts";

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("shortcuts", () => {
  it("maps the documented keys", () => {
    expect(shortcutFor(key(" "))).toBe("togglePlay");
    expect(shortcutFor(key("s"))).toBe("step");
    expect(shortcutFor(key("E", { shiftKey: true }))).toBe("epoch");
    expect(shortcutFor(key("r"))).toBe("reset");
    expect(shortcutFor(key("z", { ctrlKey: true }))).toBe("undo");
    expect(shortcutFor(key("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(key("z", { metaKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(key("y", { ctrlKey: true }))).toBe("redo");
    expect(shortcutFor(key("?", { shiftKey: true }))).toBe("legend");
    expect(shortcutFor(key("3"))).toBe("speedFull");
    expect(shortcutFor(key("s", { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key("q"))).toBeNull();
  });

  it("never fires while typing in a field", () => {
    const input = document.createElement("input");
    input.type = "text";
    const box = document.createElement("input");
    box.type = "checkbox";
    expect(isTypingTarget(input)).toBe(true);
    expect(isTypingTarget(document.createElement("textarea"))).toBe(true);
    expect(isTypingTarget(document.createElement("select"))).toBe(true);
    expect(isTypingTarget(box)).toBe(false);
    expect(isTypingTarget(document.createElement("div"))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
