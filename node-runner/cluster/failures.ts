/**
 * How a cluster process reads the failure that ends it: made from an error here, or received from
 * another process (controlRecords.ts), and printed with where it happened.
 */

import { EXIT, type ExitCode } from "../exitCodes.js";
import { exitCodeOf, formatReport, reportError, type ErrorReport } from "../errors/report.js";
import { ClusterFailedError, type ClusterFailure } from "./controlRecords.js";

/** The failure `error` is, in process `origin` (a failure from elsewhere stays what it was). */
export function failureOf(error: unknown, origin: string, exit?: number): ClusterFailure {
  if (error instanceof ClusterFailedError) return error.failure;
  const report = reportError(error);
  return { report, exit: exit ?? exitCodeOf(report), origin };
}

/** A failure made here from a message (a stop that could not wait, the parent gone). */
export function failureWith(origin: string, exit: number, message: string, code?: string): ClusterFailure {
  const report: ErrorReport = { name: "Error", message, code };
  return { report, exit, origin };
}

/**
 * The failure as this process prints it: a worker's error as the runner prints any (worker, step,
 * item, message), with the process it happened in when that is another one.
 */
export function describeFailure(failure: ClusterFailure, me: string): string {
  const { report } = failure;
  const elsewhere = failure.origin === me || report.code === "CLUSTER_PROCESS_LOST" ? "" : ` (in ${failure.origin})`;
  if (report.workerIndex === undefined && report.stepId === undefined && report.frame === undefined) return `${report.message}${elsewhere}`;
  const [headline, ...rest] = formatReport(report, { stack: failure.exit === EXIT.INTERNAL && failure.origin === me }).split("\n");
  return [`${headline}${elsewhere}`, ...rest].join("\n");
}

/** The failure's exit code, as the runner's (unknown numbers are 1). */
export function exitOf(failure: ClusterFailure): ExitCode {
  return (Object.values(EXIT) as number[]).includes(failure.exit) ? (failure.exit as ExitCode) : EXIT.INTERNAL;
}
