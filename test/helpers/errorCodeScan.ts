/**
 * Finds error codes in source text, for test/errors/errorCodes.test.ts: every string literal that
 * looks like a code (`"UPPER_SNAKE_CASE"`, at least one underscore), and whether it stands where a
 * code is raised: an argument of an error's constructor (`new EddyError(`, `new EddyTypeError(`,
 * `super(`), a `code` being set (`code: "X"` in an error report or a problem, `const code = ...`,
 * `readonly code: ErrorCode = "X"`), or a problem added to a validation report (`context.add("X"`).
 * Anywhere else (`case "X":`, `code === "X"`, a Set of codes) the code is only read.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface CodeLiteral {
  readonly file: string;
  readonly code: string;
  /** Where a code is raised (not only read or compared). */
  readonly raised: boolean;
}

/** Source files (.ts, .tsx; not tests) under `dirs`, as paths. */
export function sourceFiles(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
    }),
  );
}

/** Comments, then strings: a comment marker inside a string stays (a URL), a quote inside a comment goes. */
const TOKENS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;
const CODE_LITERAL = /(["'])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\1/g;
const RAISING = [/\b(?:new\s+Eddy(?:Type)?Error|super)\s*\(/, /\bcode\s*\??\s*(?::|=(?!=))/, /\.add\(\s*$/];

/** `source` without its comments (strings kept). */
export function withoutComments(source: string): string {
  return source.replace(TOKENS, (token) => (token.startsWith("/") ? " " : token));
}

/** Every code-like literal of `source` (named `file` in the result), raised or read. */
export function codeLiterals(source: string, file: string): CodeLiteral[] {
  const code = withoutComments(source);
  return [...code.matchAll(CODE_LITERAL)].map((match) => {
    // The statement so far: back to the last `;`, `{` or `}` before the literal.
    const before = code.slice(0, match.index);
    const start = Math.max(before.lastIndexOf(";"), before.lastIndexOf("{"), before.lastIndexOf("}")) + 1;
    const statement = before.slice(start);
    return { file, code: match[2]!, raised: RAISING.some((pattern) => pattern.test(statement)) };
  });
}

/** Every code-like literal in the source files under `dirs`, files named relative to `root`. */
export function scanSources(root: string, dirs: readonly string[], skip: readonly string[] = []): CodeLiteral[] {
  return sourceFiles(...dirs.map((dir) => join(root, dir)))
    .map((path) => relative(root, path))
    .filter((file) => !skip.includes(file))
    .flatMap((file) => codeLiterals(readFileSync(join(root, file), "utf8"), file));
}
