/**
 * The item a stuck call is working on, as the runner's main thread reads it with the inspector
 * (stuckInspector.ts): it evaluates ARGUMENTS_EXPRESSION in the frame of the innermost call-tracking
 * wrapper (engine/runtime/callTracking.ts), whose parameters hold the call's arguments; the
 * expression calls a global that each runner thread installs (`installArgumentsPreview`).
 */

import { WRAPPER_PARAMETERS } from "../../engine/host/index.js";
import { preview, type FunctionGenerator } from "../../engine/host/index.js";

/** The global (in a runner thread) the inspector calls to preview a stuck call's arguments. */
export const PREVIEW_KEY = "eddy.previewArguments";

/** What the inspector evaluates in a wrapper's frame: the preview of the call's arguments. */
export const ARGUMENTS_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(PREVIEW_KEY)})]([${WRAPPER_PARAMETERS.join(", ")}])`;

/**
 * A short rendering of a call's arguments (trailing undefined ones left out): the item alone when
 * there is one, "" for none.
 *
 * @example
 * previewArguments([{ id: 2 }, undefined]); // "{id: 2}"
 * previewArguments([0, 1, undefined]); // "(0, 1)"
 */
export function previewArguments(args: readonly unknown[]): string {
  let count = args.length;
  while (count > 0 && args[count - 1] === undefined) count -= 1;
  if (count === 0) return "";
  if (count === 1) return preview(args[0]);
  return `(${args.slice(0, count).map((arg) => preview(arg, 60)).join(", ")})`;
}

/**
 * Makes `previewArguments` callable by ARGUMENTS_EXPRESSION in this thread: in this realm, and,
 * given the host's generator (Host.generateFunction), in the realm it compiles in, where the
 * wrappers of the functions that chains call are (CallTracker). There it is a non-enumerable
 * property under a registered symbol, which a flow function meets only by asking for it.
 *
 * @example
 * installArgumentsPreview(); // in a runner thread, before it runs the flow
 * installArgumentsPreview(host.generateFunction); // and in the flow functions' realm
 */
export function installArgumentsPreview(generate?: FunctionGenerator): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(PREVIEW_KEY)] = previewArguments;
  generate?.(["key", "preview"], '"use strict"; Object.defineProperty(globalThis, key, { value: preview, configurable: true, writable: true });')(Symbol.for(PREVIEW_KEY), previewArguments);
}
