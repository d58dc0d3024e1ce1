/**
 * The failure that ends a cluster: made from an error in one process, sent to every other
 * (controlRecords.ts), and printed or thrown with where it happened.
 */

import { isErrorCode, type ErrorCode } from "../../engine/host/index.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import { exitCodeOf, formatReport, reportError, type ErrorReport } from "../errors/report.js";

/** A failure that ends the cluster, as it travels between processes. */
export interface ClusterFailure {
  readonly report: ErrorReport;
  /** The runner's exit code for it, decided where it happened. */
  readonly exit: number;
  /** Where it happened ("process 1 at 127.0.0.1:4001"). */
  readonly origin: string;
}

/**
 * The cluster ended because of `failure`, which happened in another process (or is the loss of
 * another process). Its message names the worker, the step and the original message, and the
 * process; its code is the original error's where that is one of Eddy's, else WORKER_FAILED.
 */
export class ClusterFailedError extends Error {
  readonly code: ErrorCode;
  constructor(readonly failure: ClusterFailure) {
    super(describeFailure(failure));
    this.name = "ClusterFailedError";
    this.code = isErrorCode(failure.report.code) ? failure.report.code : "WORKER_FAILED";
  }
}

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
 * The failure as process `me` prints it: a worker's error as the runner prints any (worker, step,
 * item, message), with the process it happened in when that is another one.
 */
export function describeFailure(failure: ClusterFailure, me?: string): string {
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
