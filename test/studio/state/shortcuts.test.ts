/** The shortcut table: every key press means at most one command where the focus is; the help lists every shortcut. */

import { describe, expect, it } from "vitest";
import { findShortcut, SCOPE_TITLES, SHORTCUTS, type KeyPress, type ShortcutScope } from "../../../studio/state/shortcuts.js";

const KEYS: [key: string, code: string][] = [
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").map((c): [string, string] => [c.toLowerCase(), `Key${c}`]),
  ["1", "Digit1"],
  ["!", "Digit1"],
  ["?", "Slash"],
  ...["Enter", "Escape", "Tab", "Delete", "Backspace", " ", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].map((key): [string, string] => [key, key === " " ? "Space" : key]),
];

function presses(): KeyPress[] {
  const all: KeyPress[] = [];
  for (const [key, code] of KEYS)
    for (let bits = 0; bits < 16; bits++)
      all.push({ key, code, ctrlKey: (bits & 1) !== 0, metaKey: (bits & 2) !== 0, shiftKey: (bits & 4) !== 0, altKey: (bits & 8) !== 0 });
  return all;
}

const SCOPES = SCOPE_TITLES.map(([scope]) => scope);

describe("the shortcut table", () => {
  it("has unique ids, and every scope is one the help lists", () => {
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.id)).size).toBe(SHORTCUTS.length);
    for (const shortcut of SHORTCUTS) expect(SCOPES).toContain(shortcut.scope);
  });

  it("no key press matches two shortcuts of one scope", () => {
    for (const scope of SCOPES) {
      for (const press of presses()) {
        const matching = SHORTCUTS.filter((shortcut) => shortcut.scope === scope && shortcut.match?.(press) === true).map((shortcut) => shortcut.id);
        expect({ scope, press, matching: matching.length <= 1 ? "ok" : matching }).toEqual({ scope, press, matching: "ok" });
      }
    }
  });

  it("finds the most specific command first", () => {
    const press = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    const on = (scopes: ShortcutScope[], p: KeyPress) => findShortcut(p, scopes)?.id;
    expect(on(["step", "anywhere"], press("ArrowRight", "ArrowRight"))).toBe("downstream");
    expect(on(["step", "anywhere"], press("Enter", "Enter"))).toBe("openForm");
    expect(on(["step", "anywhere"], press("Enter", "Enter", { ctrlKey: true }))).toBe("run");
    expect(on(["step", "anywhere"], press("Delete", "Delete"))).toBe("delete");
    expect(on(["step", "anywhere"], press("c", "KeyC"))).toBe("connectTo");
    expect(on(["step", "anywhere"], press("C", "KeyC", { shiftKey: true }))).toBe("connectFrom");
    expect(on(["anywhere"], press("c", "KeyC"))).toBeUndefined();
    expect(on(["anywhere"], press("Ç", "KeyC", { shiftKey: true, altKey: true }))).toBe("goCanvas");
    expect(on(["properties"], press("z", "KeyZ", { ctrlKey: true }))).toBeUndefined(); // a field undoes its own text
    expect(on(["properties"], press("Escape", "Escape"))).toBe("backToCanvas");
    expect(on(["anywhere"], press("z", "KeyZ", { metaKey: true }))).toBe("undo");
    expect(on(["anywhere"], press("Z", "KeyZ", { ctrlKey: true, shiftKey: true }))).toBe("redo");
  });
});
