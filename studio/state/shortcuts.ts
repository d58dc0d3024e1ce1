/**
 * Every keyboard shortcut of the studio, in one table: the `?` help lists it, and the key handlers
 * find their command in it (`findShortcut`), so the help cannot list a key that does nothing or
 * miss one that does something. Each shortcut applies where the focus is (its scope); an entry
 * without `match` is a key the browser handles by itself (a button's Enter, the clipboard's
 * Ctrl+C) or a mouse gesture, listed so that the help is complete.
 */

/** Where the focus is when the key is pressed. */
export type ShortcutScope =
  /** Anywhere outside text fields and code editors. */
  | "anywhere"
  /** On a step on the canvas. */
  | "step"
  /** On a connection on the canvas. */
  | "connection"
  /** On an entry of the step palette. */
  | "palette"
  /** In the properties panel, text fields and code editors included. */
  | "properties"
  /** In the connect menu. */
  | "connect-menu"
  /** Mouse gestures (listed only). */
  | "mouse";

/** The parts of a keydown event that shortcuts look at (a KeyboardEvent has them all). */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

export interface Shortcut {
  /** The command, for the handlers. */
  readonly id: string;
  /** The keys as the help shows them (Ctrl is Cmd on a Mac). */
  readonly keys: string;
  readonly does: string;
  readonly scope: ShortcutScope;
  /** Whether a key press is this shortcut; absent for keys the browser handles and gestures. */
  readonly match?: (press: KeyPress) => boolean;
}

const mod = (press: KeyPress) => press.ctrlKey || press.metaKey;
const plain = (press: KeyPress) => !press.ctrlKey && !press.metaKey && !press.altKey && !press.shiftKey;
const letter = (press: KeyPress, code: string) => press.code === `Key${code}`;
const shiftAlt = (press: KeyPress, code: string) => press.shiftKey && press.altKey && !mod(press) && letter(press, code);
const arrow = (direction: "Left" | "Right" | "Up" | "Down") => (press: KeyPress) => press.key === `Arrow${direction}` && plain(press);
const isArrow = (press: KeyPress) => /^Arrow(Left|Right|Up|Down)$/.test(press.key);

export const SHORTCUTS: readonly Shortcut[] = [
  { id: "undo", keys: "Ctrl+Z", does: "undo", scope: "anywhere", match: (p) => mod(p) && !p.shiftKey && !p.altKey && letter(p, "Z") },
  { id: "redo", keys: "Ctrl+Shift+Z / Ctrl+Y", does: "redo", scope: "anywhere", match: (p) => mod(p) && !p.altKey && ((p.shiftKey && letter(p, "Z")) || (!p.shiftKey && letter(p, "Y"))) },
  { id: "clipboard", keys: "Ctrl+C / Ctrl+X / Ctrl+V", does: "copy, cut, paste steps (the clipboard holds flow-file JSON)", scope: "anywhere" },
  { id: "selectAll", keys: "Ctrl+A", does: "select every step", scope: "anywhere", match: (p) => mod(p) && !p.shiftKey && !p.altKey && letter(p, "A") },
  { id: "delete", keys: "Delete / Backspace", does: "delete the selected steps, or the selected connection", scope: "anywhere", match: (p) => (p.key === "Delete" || p.key === "Backspace") && !mod(p) && !p.altKey },
  { id: "toggleDisabled", keys: "D", does: "disable or enable the selected steps (runs skip them and what only they feed)", scope: "anywhere", match: (p) => plain(p) && letter(p, "D") },
  { id: "tidyUp", keys: "Shift+Alt+T", does: "tidy up: auto-layout (the selection, or the whole flow), then fit the view", scope: "anywhere", match: (p) => shiftAlt(p, "T") },
  { id: "fitView", keys: "Shift+1", does: "fit the view", scope: "anywhere", match: (p) => p.shiftKey && !mod(p) && !p.altKey && p.code === "Digit1" },
  { id: "run", keys: "Ctrl+Enter", does: "run the flow", scope: "anywhere", match: (p) => mod(p) && !p.altKey && p.key === "Enter" },
  { id: "exportFile", keys: "Ctrl+S", does: "export the flow file", scope: "anywhere", match: (p) => mod(p) && !p.shiftKey && !p.altKey && letter(p, "S") },
  { id: "importFile", keys: "Ctrl+O", does: "import a flow file", scope: "anywhere", match: (p) => mod(p) && !p.shiftKey && !p.altKey && letter(p, "O") },
  { id: "goPalette", keys: "Shift+Alt+P", does: "go to the step palette", scope: "anywhere", match: (p) => shiftAlt(p, "P") },
  { id: "goCanvas", keys: "Shift+Alt+C", does: "go to the canvas (the selected step, or the first one)", scope: "anywhere", match: (p) => shiftAlt(p, "C") },
  { id: "goRun", keys: "Shift+Alt+R", does: "go to the Run button", scope: "anywhere", match: (p) => shiftAlt(p, "R") },
  { id: "help", keys: "?", does: "this help", scope: "anywhere", match: (p) => p.key === "?" && !mod(p) && !p.altKey },

  { id: "downstream", keys: "→", does: "go to the step it feeds", scope: "step", match: arrow("Right") },
  { id: "upstream", keys: "←", does: "go to the step that feeds it", scope: "step", match: arrow("Left") },
  { id: "previousSibling", keys: "↑", does: "go to the sibling above (fed by the same step)", scope: "step", match: arrow("Up") },
  { id: "nextSibling", keys: "↓", does: "go to the sibling below", scope: "step", match: arrow("Down") },
  { id: "openForm", keys: "Enter", does: "open the step's form (its first field)", scope: "step", match: (p) => p.key === "Enter" && plain(p) },
  { id: "connectTo", keys: "C", does: "connect it to a step: choose the step it feeds from a list (a window step asks first: its results or its late items)", scope: "step", match: (p) => letter(p, "C") && plain(p) },
  { id: "connectFrom", keys: "Shift+C", does: "connect a step to it: choose the step that feeds it (a window step's late items are listed as \"ID (late items)\")", scope: "step", match: (p) => letter(p, "C") && p.shiftKey && !mod(p) && !p.altKey },
  { id: "moveStep", keys: "Alt+arrows", does: "move the selected steps (with Shift: further)", scope: "step", match: (p) => isArrow(p) && p.altKey && !mod(p) },
  { id: "canvasTab", keys: "Tab / Shift+Tab", does: "next or previous step, then the connections, then on past the canvas", scope: "step", match: (p) => p.key === "Tab" && !mod(p) && !p.altKey },
  { id: "clearSelection", keys: "Escape", does: "clear the selection", scope: "step", match: (p) => p.key === "Escape" && plain(p) },

  { id: "connectionTab", keys: "Tab / Shift+Tab", does: "next or previous connection", scope: "connection", match: (p) => p.key === "Tab" && !mod(p) && !p.altKey },
  { id: "connectionSelect", keys: "Enter / Space", does: "select the connection (Delete removes it; a palette entry inserts into it)", scope: "connection" },

  { id: "paletteMove", keys: "↓ / ↑", does: "next or previous entry", scope: "palette", match: (p) => (p.key === "ArrowDown" || p.key === "ArrowUp") && plain(p) },
  { id: "paletteAdd", keys: "Enter / Space", does: "add the step after the selected step (inserted into its chain), into the selected connection, or in view", scope: "palette" },

  { id: "backToCanvas", keys: "Escape", does: "back to the step on the canvas (also leaves a code editor)", scope: "properties", match: (p) => p.key === "Escape" && plain(p) },

  { id: "menuNext", keys: "↓ / ↑", does: "next or previous entry", scope: "connect-menu", match: (p) => (p.key === "ArrowDown" || p.key === "ArrowUp") && plain(p) },
  { id: "menuChoose", keys: "Enter", does: "connect to the chosen step, or choose the output (a refused step says why)", scope: "connect-menu" },
  { id: "menuClose", keys: "Escape", does: "close the menu, back to the step", scope: "connect-menu", match: (p) => p.key === "Escape" && plain(p) },

  { id: "multiSelect", keys: "Shift+click / Ctrl+click", does: "add a step to the selection (Shift+drag draws a selection box)", scope: "mouse" },
  { id: "dropOnConnection", keys: "drag a palette entry onto a connection", does: "insert the step into that connection", scope: "mouse" },
  { id: "paletteClick", keys: "click a palette entry", does: "insert the step after the selected step", scope: "mouse" },
];

/** What the help calls each scope, in the order it lists them. */
export const SCOPE_TITLES: readonly (readonly [ShortcutScope, string])[] = [
  ["anywhere", "Anywhere (outside text fields)"],
  ["step", "On a step (the canvas)"],
  ["connection", "On a connection"],
  ["palette", "On a palette entry"],
  ["properties", "In the properties panel"],
  ["connect-menu", "In the connect menu"],
  ["mouse", "With the mouse"],
];

/**
 * The shortcut a key press means where the focus is (`scopes`: the most specific first), or
 * undefined. The first scope that has a matching shortcut wins.
 *
 * @example
 * findShortcut({ key: "ArrowRight", code: "ArrowRight", ctrlKey: false, metaKey: false, shiftKey: false, altKey: false }, ["step", "anywhere"])?.id; // "downstream"
 */
export function findShortcut(press: KeyPress, scopes: readonly ShortcutScope[]): Shortcut | undefined {
  for (const scope of scopes) {
    const found = SHORTCUTS.find((shortcut) => shortcut.scope === scope && shortcut.match?.(press) === true);
    if (found) return found;
  }
  return undefined;
}
