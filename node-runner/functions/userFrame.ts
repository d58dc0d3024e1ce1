/**
 * Where in a flow function an error was thrown: the functions of a flow file are compiled under the
 * file name `step:<step id>/<field>` (functions/vmCompiler.ts), so the innermost frame of that name
 * in a stack is the line and column inside the function's own source. Apart from the compiler so
 * that error reports (errors/report.ts) do not load it, nor the check of function sources with it.
 *
 * ```ts
 * userFrameOf(error); // { stepId: "parse", field: "fn", line: 3, column: 19 }
 * ```
 */

/** Where a compiled function's code is: the `step:<id>/<field>` frame of a stack trace. */
export interface UserFrame {
  readonly stepId: string;
  readonly field: string;
  readonly line: number;
  readonly column: number;
}

/** The file name a function is compiled under; its frames in stack traces carry it. */
export function functionFileName(stepId: string, field: string): string {
  return `step:${stepId}/${field}`;
}

const FRAME = /step:([A-Za-z0-9][A-Za-z0-9_-]*)\/([^\s:()]+):(\d+):(\d+)/;

/** The innermost frame of a flow function in `error`'s stack: where in the function it threw. */
export function userFrameOf(error: unknown): UserFrame | undefined {
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  const match = FRAME.exec(stack);
  if (!match) return undefined;
  return { stepId: match[1]!, field: match[2]!, line: Number(match[3]), column: Number(match[4]) };
}

/** An error's stack, when it has one that can be read. */
export function stackOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  try {
    const stack = (error as { stack?: unknown }).stack;
    return typeof stack === "string" ? stack : undefined;
  } catch {
    return undefined;
  }
}
