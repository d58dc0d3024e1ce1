/**
 * Step functions are synchronous, as in Bytewax: a Promise (or any thenable) where a value is
 * expected is refused with a TypeError naming the step (its item is in the failure context), instead
 * of flowing on as an item (an `async x => x * 2` map used to write `{}`). The check on hot paths is
 * inlined as `typeof v === "object" && v !== null && typeof v.then === "function"`, which costs a
 * property read only when the value is an object.
 *
 * Inspectors are held to it too, although their return value is otherwise ignored: an async
 * inspector's work would run detached from its epoch, and its rejection would be an unhandled
 * rejection that ends the process. What stays async is what DESIGN section 3 allows: an input may
 * be an AsyncIterable, and an output handler may return a Promise.
 */

import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";

/** Whether `value` is an object with a callable `then` (a Promise or another thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * `isThenable` as source text over a variable, for generated code that inlines the check.
 *
 * @example
 * thenableSource("v2"); // 'typeof v2 === "object" && v2 !== null && typeof v2.then === "function"'
 */
export function thenableSource(variable: string): string {
  return `typeof ${variable} === "object" && ${variable} !== null && typeof ${variable}.then === "function"`;
}

/**
 * The TypeError for a thenable returned by `fnName` of step `stepId` (or inside what it returned:
 * `part` says where, such as "the updated state"). A native Promise that is
 * refused gets a no-op rejection handler, so that its later rejection (an async function that
 * throws) cannot become an unhandled rejection that ends the process; no other thenable's `then`
 * is ever called.
 */
export function returnedPromise(stepId: string, op: string, fnName: string, value: unknown, part?: string): EddyTypeError {
  silenceRejection(value);
  const where = part === undefined ? "" : ` as ${part}`;
  return new EddyTypeError(
    "STEP_RETURNED_PROMISE",
    stepId,
    `Step "${stepId}" (${op}): \`${fnName}\` returned a Promise (or another thenable)${where} where a value is expected; got \`${preview(value)}\` instead. ` +
      `Step functions run synchronously (an async function always returns a Promise); to await, use an input that is an async iterable (an async generator)`,
  );
}

/**
 * Adds a no-op rejection handler to a native Promise of any realm (the runner compiles flow
 * functions in a vm context with its own Promise), and to nothing else.
 */
function silenceRejection(value: unknown): void {
  try {
    Promise.prototype.then.call(value, undefined, () => {});
  } catch {
    // Not a native Promise (the brand check failed): its `then` is user code, left alone.
  }
}
