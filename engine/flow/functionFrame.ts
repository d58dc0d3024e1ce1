/**
 * Where inside a flow function an error was thrown, as the runner prints it ("at line 3, column 11
 * of the function `fn` of step "parse""). Each function is compiled under the name
 * `step:<step id>/<field>` (the runner's vm compiler passes it as the file name; the default
 * compiler, the studio's, appends a `//# sourceURL=` comment), so its frames in a stack trace carry it.
 *
 * The default compiler uses the Function constructor, whose source text starts with two lines of
 * its own before the body (`function anonymous(` and `) {`, ECMAScript's CreateDynamicFunction), and
 * the body starts with FUNCTION_BODY_PREFIX: `defaultCompilerFrameOf` takes both off.
 */

import { FUNCTION_BODY_PREFIX } from "./functionSource.js";

export interface FunctionFrame {
  readonly stepId: string;
  /** The function's field: "fn", "builder", "isComplete", "clock.fn", "input.fn" ... */
  readonly field: string;
  /** 1-based, inside the function's own source. */
  readonly line: number;
  readonly column: number;
}

/** The name a flow function is compiled under: `step:parse/fn`. */
export function functionFileName(stepId: string, field: string): string {
  return `step:${stepId}/${field}`.replace(/[^\w.:/-]/g, "_");
}

/** The comment the default compiler appends to a function's body so that its frames carry its name. */
export function sourceUrlComment(stepId: string, field: string): string {
  return `\n//# sourceURL=${functionFileName(stepId, field)}`;
}

const FRAME = /step:([A-Za-z0-9][A-Za-z0-9_-]*)\/([^\s:()]+):(\d+):(\d+)/;

/** Lines the Function constructor puts before the body. */
const DYNAMIC_FUNCTION_LINES = 2;

/**
 * The innermost frame of a flow function compiled by the default compiler in `error`'s stack,
 * with its line and column in the function's own source; undefined when there is none. Never
 * throws (any value may have been thrown).
 *
 * @example
 * const fn = defaultFunctionCompiler("x =>\n  x.a.b", { stepId: "parse", field: "fn" });
 * try { fn(1); } catch (error) { defaultCompilerFrameOf(error); } // { stepId: "parse", field: "fn", line: 2, column: 7 }
 */
export function defaultCompilerFrameOf(error: unknown): FunctionFrame | undefined {
  let stack: unknown;
  try {
    stack = typeof error === "object" && error !== null ? (error as { stack?: unknown }).stack : undefined;
  } catch {
    return undefined;
  }
  if (typeof stack !== "string") return undefined;
  const match = FRAME.exec(stack);
  if (!match) return undefined;
  const line = Number(match[3]) - DYNAMIC_FUNCTION_LINES;
  const rawColumn = Number(match[4]);
  const column = line === 1 ? rawColumn - FUNCTION_BODY_PREFIX.length : rawColumn;
  if (line < 1 || column < 1) return undefined;
  return { stepId: match[1]!, field: match[2]!, line, column };
}

/**
 * The frame as the runner prints it under an error.
 *
 * @example
 * describeFrame({ stepId: "parse", field: "fn", line: 3, column: 11 }); // 'at line 3, column 11 of the function `fn` of step "parse"'
 */
export function describeFrame(frame: FunctionFrame): string {
  return `at line ${frame.line}, column ${frame.column} of the function \`${frame.field}\` of step "${frame.stepId}"`;
}
