/**
 * Errors of a run as plain data (they cross the boundary between a worker thread and the main
 * thread), how they read on standard error, and which exit code each kind gets.
 */

import { errorContext, failureHeadline, thrownValue } from "../../engine/host/index.js";
import { preview } from "../../engine/host/index.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import { userFrameOf, type UserFrame } from "../functions/vmCompiler.js";

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
 * The exit code for a failed run:
 * - a flow file problem found only in a thread (FLOW_*): 2;
 * - the recovery store refused or failed (RECOVERY_*): 4, but a state that cannot be saved is the
 *   flow's function's doing: 3;
 * - anything that happened in a step (a user function, an input or output, an item of the wrong
 *   shape): 3;
 * - anything else is the runner's own failure: 1.
 */
export function exitCodeOf(report: ErrorReport): ExitCode {
  const code = report.code ?? "";
  if (code.startsWith("FLOW_")) return EXIT.INVALID_FLOW;
  if (code === "RECOVERY_UNSERIALIZABLE") return EXIT.RUN_FAILED;
  if (code.startsWith("RECOVERY_")) return EXIT.RECOVERY;
  if (report.stepId !== undefined || report.frame !== undefined) return EXIT.RUN_FAILED;
  if (/^(INPUT|OUTPUT|EXCHANGE|STEP|CONFIG|ADAPTER)_/.test(code)) return EXIT.RUN_FAILED;
  return EXIT.INTERNAL;
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
