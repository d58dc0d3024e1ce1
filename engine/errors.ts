/**
 * Errors with stable codes. Every error Eddy raises on its own carries a `code` from the closed
 * table in errorCodes.ts; errors thrown by user code are passed through unchanged and described by
 * `errorContext`.
 */

import type { ErrorCode } from "./errorCodes.js";
import { preview } from "./preview.js";

export type { ErrorCode } from "./errorCodes.js";

/** An error raised by Eddy itself (configuration, flow shape, runtime). */
export class EddyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EddyError";
    this.code = code;
  }
}

/** A wrong item shape or return type in a step, as Bytewax raises `TypeError` for these. */
export class EddyTypeError extends TypeError {
  readonly code: ErrorCode;
  readonly stepId: string;
  constructor(code: ErrorCode, stepId: string, message: string) {
    super(message);
    this.name = "TypeError";
    this.code = code;
    this.stepId = stepId;
  }
}

/** Where a failure happened: which step, on which worker, on which item. */
export interface FailureContext {
  readonly stepId: string;
  readonly op: string;
  readonly workerIndex: number;
  /** The item being processed, shortened for display; undefined for failures outside an item. */
  readonly itemPreview: string | undefined;
}

const contexts = new WeakMap<object, FailureContext>();
/** The boxes of thrown values that are not objects, each to its value (see `recordFailureContext`). */
const boxes = new WeakMap<object, { readonly value: unknown }>();

/**
 * Remembers where `error` was thrown without touching the error object itself, and returns what
 * to throw on: `error` itself when it is an object (an Error, or anything else), else a box that
 * carries the value (`throw 42`, `throw undefined`: a primitive cannot key a WeakMap). Boxes never
 * reach user code: `thrownValue` opens them where a run ends (runMain rejects with the value, and
 * clusterMain's WorkerFailedError has it as `cause`). Reads nothing of `error` (a Proxy's traps
 * never run here).
 */
export function recordFailureContext(error: unknown, context: FailureContext): unknown {
  if ((typeof error === "object" && error !== null) || typeof error === "function") {
    if (!contexts.has(error)) contexts.set(error, context);
    return error;
  }
  const box = {};
  boxes.set(box, { value: error });
  contexts.set(box, context);
  return box;
}

/** What user code threw: `error` itself, or the value in a box from `recordFailureContext`. */
export function thrownValue(error: unknown): unknown {
  return typeof error === "object" && error !== null && boxes.has(error) ? boxes.get(error)!.value : error;
}

/** Where an error thrown during a run happened, if Eddy saw it happen. */
export function errorContext(error: unknown): FailureContext | undefined {
  return (typeof error === "object" && error !== null) || typeof error === "function" ? contexts.get(error) : undefined;
}

/**
 * The error `clusterMain` rejects with when a worker fails: it names the worker and the step and
 * keeps the original error as `cause` (Bytewax only said "Worker thread died").
 */
export class WorkerFailedError extends Error {
  readonly code: ErrorCode = "WORKER_FAILED";
  readonly workerIndex: number;
  readonly stepId: string | undefined;
  constructor(workerIndex: number, context: FailureContext | undefined, cause: unknown) {
    super(`${failureHeadline(workerIndex, context)}: ${describeError(cause)}`, { cause: thrownValue(cause) });
    this.name = "WorkerFailedError";
    this.workerIndex = workerIndex;
    this.stepId = context?.stepId;
  }
}

/**
 * Where a failure happened, as every message about one starts:
 * `Worker 1 failed in step "parse" (map) on item "b"`.
 */
export function failureHeadline(
  workerIndex: number | undefined,
  context: { readonly stepId?: string | undefined; readonly op?: string | undefined; readonly itemPreview?: string | undefined } | undefined,
): string {
  const worker = workerIndex !== undefined ? `Worker ${workerIndex} failed` : "Failed";
  const step = context?.stepId !== undefined ? ` in step "${context.stepId}"${context.op ? ` (${context.op})` : ""}` : "";
  const item = context?.itemPreview !== undefined ? ` on item ${context.itemPreview}` : "";
  return `${worker}${step}${item}`;
}

/**
 * `Name: message` for errors, a preview for anything else that was thrown. Never throws: a thrown
 * Proxy whose traps throw, or an object whose `name` getter throws, is still described.
 */
export function describeError(error: unknown): string {
  const value = thrownValue(error);
  try {
    // An Error of another realm (a flow file's functions run in a node:vm context) is one too.
    if (value instanceof Error || Object.prototype.toString.call(value) === "[object Error]") return `${(value as Error).name}: ${(value as Error).message}`;
  } catch {
    return "a thrown value whose properties cannot be read";
  }
  return `thrown value ${preview(value)}`;
}
