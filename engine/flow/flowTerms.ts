/**
 * Runtime errors in a flow file's terms. The engine's step errors name functions as the TypeScript
 * API (and Bytewax) does: "return value of `mapper` in flat map operator", "`dtGetter` in
 * EventClockConfig". Someone who wrote a flow file (or used the studio) knows those functions as
 * the step's `fn`, `builder` or `isComplete`, the clock's `fn`, the input's `fn`: `inFlowTerms`
 * rewrites the names, from the step help (stepHelp.ts), and leaves the rest of the message as it is.
 */

import { STEP_KINDS } from "../dataflow/steps.js";
import { FLOW_STEP_OPS, type FlowStepOp } from "./schema.js";
import { STEP_HELP } from "./stepHelp.js";

/** `Step "id" (op): `, as every step error starts. */
const STEP_PREFIX = /^Step "[^"]*" \(([a-z_]+)\): /;

/** A function name in backquotes, with the API's words for where it lives when they follow it. */
const FUNCTION_NAME = /`(\w+)`(?: in [a-z ]+ operator| in EventClockConfig)?/g;

/** What each API function name of the step kind `op` is called in a flow file. */
function termsOf(op: FlowStepOp): ReadonlyMap<string, string> {
  const terms = new Map<string, string>();
  for (const fn of STEP_HELP[op].functions) terms.set(fn.apiName, `\`${fn.field}\``);
  if (STEP_KINDS[op].windowed) terms.set("dtGetter", "the clock's `fn`");
  if (op === "input") terms.set("builder", "the input's `fn`");
  if (op === "capture") terms.set("outputBuilder", "the output's `fn`");
  return terms;
}

function isFlowStepOp(op: string): op is FlowStepOp {
  return (FLOW_STEP_OPS as readonly string[]).includes(op);
}

/**
 * `message` with the names of the step's functions as a flow file has them. Only the part before
 * "; got `" is rewritten (what follows shows a value, which may hold anything); a message that
 * does not start as a step error is returned as it is.
 *
 * @example
 * inFlowTerms('Step "w" (reduce_window): return value of `dtGetter` in EventClockConfig must be a Date or epoch milliseconds; got `"x"` instead');
 * // 'Step "w" (reduce_window): return value of the clock\'s `fn` must be a Date or epoch milliseconds; got `"x"` instead'
 */
export function inFlowTerms(message: string): string {
  const match = STEP_PREFIX.exec(message);
  if (!match || !isFlowStepOp(match[1]!)) return message;
  const terms = termsOf(match[1]);
  const cut = message.indexOf("; got `");
  const end = cut < 0 ? message.length : cut;
  const head = message
    .slice(match[0].length, end)
    .replace(FUNCTION_NAME, (whole, name: string) => terms.get(name) ?? whole)
    .replace(/^Manual input builders\b/, "The input's `fn`");
  return `${match[0]}${head}${message.slice(end)}`;
}
