/**
 * Errors of a run as plain data (they cross the boundary between a worker thread and the main
 * thread), how they read on standard error, and which exit code each gets (from the table of error
 * codes, engine/errorCodes.ts).
 */

import { errorCodeInfo, errorContext, failureHeadline, thrownValue } from "../../engine/host/index.js";
import { preview } from "../../engine/host/index.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import { userFrameOf, type UserFrame } from "../functions/userFrame.js";

/** An error as plain data: what was thrown, and where in the flow (step, worker, item, line). */
export interface ErrorReport {
  readonly name: string;
  readonly message: string;
  readonly code?: string | undefined;
  readonly stack?: string | undefined;
  readonly stepId?: string | undefined;
  readonly op?: string | undefined;
  readonly workerIndex?: number | undefined;
  /** The item being processed, shortened. */
  readonly itemPreview?: string | undefined;
  /** Where in the step's function it was thrown. */
  readonly frame?: UserFrame | undefined;
}

/**
 * Describes `error`, thrown by worker `workerIndex`, with what `errorContext` knows of it. Any value
 * may have been thrown (`throw 42`, `throw undefined`, a Proxy whose traps throw): every read of it
 * is guarded, and a value that is not an Error is described by a preview of itself.
 */
export function reportError(error: unknown, workerIndex?: number): ErrorReport {
  const context = errorContext(error);
  const value = thrownValue(error);
  const frame = userFrameOf(value);
  const own = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  const text = (key: string): string | undefined =>
    safe(() => {
      const field = own?.[key];
      return typeof field === "string" ? field : undefined;
    });
  let message = text("message");
  let name: string;
  if (message !== undefined) {
    name = text("name") ?? "Error";
  } else {
    message = `a non-error value was thrown: ${preview(value)}`;
    name = "Thrown";
  }
  return {
    name,
    message,
    code: text("code"),
    stack: text("stack"),
    stepId: context?.stepId ?? text("stepId") ?? frame?.stepId,
    op: context?.op,
    workerIndex: context?.workerIndex ?? workerIndex,
    itemPreview: context?.itemPreview,
    frame,
  };
}

/**
 * The exit code for a run that a worker thread's error ended: the table's (engine/errorCodes.ts)
 * `threadExit` or `exit` for the error's code (2 a flow file problem found only in a thread, 3 a
 * step, an input or an output, 4 the recovery store). An error whose code has exit 1, or that has
 * no code of the table (thrown by user code), is 3 when it happened in a step and 1 otherwise, the
 * runner's own failure.
 */
export function exitCodeOf(report: ErrorReport): ExitCode {
  const info = errorCodeInfo(report.code);
  const exit = info?.threadExit ?? info?.exit ?? EXIT.INTERNAL;
  if (exit !== EXIT.INTERNAL) return exit;
  return report.stepId !== undefined || report.frame !== undefined ? EXIT.RUN_FAILED : EXIT.INTERNAL;
}

/**
 * The exit code for an error raised before any worker thread starts (`eddy run` checking and
 * compiling the flow file, `eddy validate`): 2 when the table says the flow file is at fault (exit
 * 2: a flow problem, a config value, an adapter this host lacks), else 1, an unexpected error.
 */
export function startExitCodeOf(report: ErrorReport): ExitCode {
  return errorCodeInfo(report.code)?.exit === EXIT.INVALID_FLOW ? EXIT.INVALID_FLOW : EXIT.INTERNAL;
}

/**
 * The error as it reads on standard error, for example:
 *
 *   Worker 1 failed in step "parse" (map) on item "b": Error: BOOM
 *     at line 3, column 11 of the function `fn` of step "parse"
 */
export function formatReport(report: ErrorReport, options: { stack?: boolean } = {}): string {
  const lines = [`${failureHeadline(report.workerIndex, report)}: ${report.name}: ${report.message}`];
  const frame = report.frame;
  if (frame) lines.push(`  at line ${frame.line}, column ${frame.column} of the function \`${frame.field}\` of step "${frame.stepId}"`);
  if (options.stack && report.stack) lines.push(...report.stack.split("\n").map((line) => `  | ${line}`));
  return lines.join("\n");
}

function safe<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
