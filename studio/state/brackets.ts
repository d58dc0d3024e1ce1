/**
 * Typing a closing bracket where one already closes the block: in the code editor, `{`, Enter,
 * body, Enter, `}` must give `{ body }` on three lines, not a stray `}`. The editor auto-closes
 * brackets (`{` types `{}`), and after Enter that `}` sits on the next line, where CodeMirror's own
 * type-over does not reach. `typeOverClosing` decides, on the text alone, when the typed bracket
 * steps over the one that is there instead: the cursor's line is blank before it, only whitespace
 * lies between the cursor and a bracket of the same kind, and the text's brackets of that kind are
 * already balanced (one more would close something that is not open).
 */

const OPENER: Readonly<Record<string, string>> = { "}": "{", "]": "[", ")": "(" };

/** What typing does instead of inserting: delete `[deleteFrom, deleteTo)` (a blank line), then put the cursor at `cursor`. */
export interface TypeOver {
  readonly deleteFrom: number;
  readonly deleteTo: number;
  readonly cursor: number;
}

/**
 * Opening brackets of `open` minus closing ones of `close` in JavaScript or JSON text, outside
 * strings, template literals and comments.
 *
 * @example
 * bracketBalance('{ "}" // }\n', "{", "}"); // 1
 */
export function bracketBalance(text: string, open: string, close: string): number {
  let balance = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"' || char === "'" || char === "`") {
      for (i++; i < text.length && text[i] !== char; i++) if (text[i] === "\\") i++;
    } else if (char === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (char === open) {
      balance++;
    } else if (char === close) {
      balance--;
    }
  }
  return balance;
}

/**
 * When typing `typed` at `cursor` should step over an existing closing bracket rather than insert
 * one; undefined when it should insert.
 *
 * @example
 * // "{\n  body\n  |\n}" + "}" gives "{\n  body\n}|"
 * typeOverClosing("{\n  body\n  \n}", 11, "}"); // { deleteFrom: 8, deleteTo: 11, cursor: 10 }
 */
export function typeOverClosing(text: string, cursor: number, typed: string): TypeOver | undefined {
  const open = OPENER[typed];
  if (open === undefined) return undefined;
  const lineStart = text.lastIndexOf("\n", cursor - 1) + 1;
  if (text.slice(lineStart, cursor).trim() !== "") return undefined;
  const gap = /^\s*/.exec(text.slice(cursor))![0];
  const at = cursor + gap.length;
  if (text[at] !== typed) return undefined;
  if (bracketBalance(text, open, typed) > 0) return undefined;
  const lastBreak = gap.lastIndexOf("\n");
  if (lastBreak < 0) return { deleteFrom: cursor, deleteTo: cursor, cursor: at + 1 };
  // The cursor's line is blank: remove it (with the line break before it, or after it on the first line).
  const deleteFrom = lineStart > 0 ? lineStart - 1 : lineStart;
  const deleteTo = lineStart > 0 ? cursor + lastBreak : cursor + lastBreak + 1;
  return { deleteFrom, deleteTo, cursor: at + 1 - (deleteTo - deleteFrom) };
}
