/**
 * Help for each step kind of a flow file: what it does, what each of its functions receives and
 * returns, and a small example. The studio shows it (the palette's tooltips, the step form); the
 * rules on return values are the runner's own error texts (RETURN_RULES), and each function's
 * name in the TypeScript API (`mapper`, `dtGetter` ...) is kept so that errors worded with those
 * names can be told in the flow file's terms (flowTerms.ts).
 */

import { RETURN_RULES } from "../dataflow/returnRules.js";
import { STEP_KINDS } from "../dataflow/steps.js";
import type { FlowStepOp } from "./schema.js";

export interface FunctionHelp {
  /** Its field in a flow file: "fn", "builder", "isComplete" (of a step) or "fn" (of a block). */
  readonly field: string;
  /** Its name in the TypeScript API and in Bytewax, which some runtime errors use: "mapper", "dtGetter". */
  readonly apiName: string;
  /** How it is called, in the flow file's terms: "fn(item) => newItem". */
  readonly signature: string;
  /** What it receives and what becomes of what it returns. */
  readonly description: string;
  /** The rule its return value is held to, worded as the runner's error says it ("must be a boolean"). */
  readonly returns?: string;
}

export interface StepHelp {
  readonly op: FlowStepOp;
  /** One sentence (the engine's STEP_KINDS summary). */
  readonly summary: string;
  /** What the step expects of its items, when it expects something. */
  readonly items?: string;
  /** Its functions, in the order of the step's fields. */
  readonly functions: readonly FunctionHelp[];
  /** A small example: the step's own fields in a flow file (without `id` and `after`). */
  readonly example: Readonly<Record<string, unknown>>;
}

const KEYED_ITEMS = "Items must be [key, value] arrays with a string key (a map before it can make them: x => [x.user, x]); each key has its own state, on one worker.";

function help(op: FlowStepOp, functions: readonly FunctionHelp[], example: Record<string, unknown>, items?: string): StepHelp {
  return { op, summary: STEP_KINDS[op].summary, functions, example, ...(items !== undefined && { items }) };
}

/** The help of every step kind, by op. */
export const STEP_HELP: Readonly<Record<FlowStepOp, StepHelp>> = {
  input: help("input", [], { input: { type: "list", items: ["to be or not to be", "that is the question"] } }),
  map: help("map", [{ field: "fn", apiName: "mapper", signature: "fn(item) => newItem", description: "Called with each item; what it returns goes on in its place." }], {
    fn: "line => line.toLowerCase()",
  }),
  flat_map: help(
    "flat_map",
    [{ field: "fn", apiName: "mapper", signature: "fn(item) => iterable of items", description: "Called with each item; every element of what it returns (an array, a Set, a generator) goes on as an item.", returns: RETURN_RULES.iterable }],
    { fn: 'line => line.split(" ")' },
  ),
  filter: help(
    "filter",
    [{ field: "fn", apiName: "predicate", signature: "fn(item) => true or false", description: "Called with each item; the item goes on when it returns true and is dropped when it returns false.", returns: RETURN_RULES.boolean }],
    { fn: "word => word.length > 0" },
  ),
  inspect: help("inspect", [{ field: "fn", apiName: "inspector", signature: "fn(item)", description: "Called with each item, which goes on unchanged; what it returns is ignored (console.log goes to the runner's standard error)." }], {
    fn: "item => console.log(item)",
  }),
  inspect_epoch: help(
    "inspect_epoch",
    [{ field: "fn", apiName: "inspector", signature: "fn(epoch, item)", description: "Called with each item's epoch (a number) and the item, which goes on unchanged; what it returns is ignored." }],
    { fn: "(epoch, item) => console.log(epoch, item)" },
  ),
  reduce: help(
    "reduce",
    [
      { field: "fn", apiName: "reducer", signature: "fn(accumulator, value) => accumulator", description: "A key's first value is its accumulator; each later value of the key is combined into it by fn." },
      { field: "isComplete", apiName: "isComplete", signature: "isComplete(accumulator) => true or false", description: "Called after each value; true emits [key, accumulator] and forgets the key.", returns: RETURN_RULES.boolean },
    ],
    { fn: "(total, n) => total + n", isComplete: "total => total >= 100" },
    KEYED_ITEMS,
  ),
  stateful_map: help(
    "stateful_map",
    [
      { field: "builder", apiName: "builder", signature: "builder() => state", description: "Makes the state of a key that has none (it gets no arguments)." },
      {
        field: "fn",
        apiName: "mapper",
        signature: "fn(state, value) => [newState, output]",
        description: "Called with the key's state and each value; [key, output] goes on. A newState of null or undefined forgets the key.",
        returns: RETURN_RULES.statePair,
      },
    ],
    { builder: "() => 0", fn: "(count, value) => [count + 1, count + 1]" },
    KEYED_ITEMS,
  ),
  reduce_window: help(
    "reduce_window",
    [
      {
        field: "fn",
        apiName: "reducer",
        signature: "fn(accumulator, value) => accumulator",
        description: "Per key and window, the first value is the accumulator and each later value is combined into it; [key, accumulator] goes on when the window closes. Two sessions that an out-of-order item bridges combine as fn(earlier, later).",
      },
    ],
    { clock: { type: "system" }, window: { type: "tumbling", length: 60_000 }, fn: "(a, b) => a + b" },
    KEYED_ITEMS,
  ),
  fold_window: help(
    "fold_window",
    [
      { field: "builder", apiName: "builder", signature: "builder() => accumulator", description: "Makes the empty accumulator of each new window of a key (it gets no arguments)." },
      { field: "fn", apiName: "folder", signature: "fn(accumulator, value) => accumulator", description: "Adds each value to its window's accumulator; [key, accumulator] goes on when the window closes." },
      {
        field: "merger",
        apiName: "merger",
        signature: "merger(earlier, later) => accumulator",
        description: "Combines the accumulators of two sessions that an out-of-order item bridges into one. Required with session windows; other windows never merge (leave it out).",
      },
    ],
    {
      clock: { type: "event", fn: "event => event.time", waitForSystemDuration: 0 },
      window: { type: "tumbling", length: 10_000 },
      builder: "() => []",
      fn: "(list, value) => [...list, value]",
    },
    KEYED_ITEMS,
  ),
  collect_window: help(
    "collect_window",
    [],
    { clock: { type: "event", fn: "event => event.time", waitForSystemDuration: 0 }, window: { type: "session", gap: 30_000 } },
    `${KEYED_ITEMS} Emits [key, [v1, v2, ...]] per window, the values in time order; items too late for their window go to the step's late output ("after": ["ID:late"]).`,
  ),
  count_window: help(
    "count_window",
    [],
    { clock: { type: "system" }, window: { type: "sliding", length: 60_000, offset: 10_000 }, withWindow: true },
    `${KEYED_ITEMS} Emits [key, count] per window (with withWindow: [key, [windowStart, windowEnd, count]]); items too late for their window go to the step's late output ("after": ["ID:late"]).`,
  ),
  join: help("join", [], { insertMode: "last", emitMode: "complete" }, `${KEYED_ITEMS} Each step in after is a side, in order: side 0, side 1, ...; a row is [key, [v0, v1, ...]], null for a side without a value.`),
  join_window: help(
    "join_window",
    [],
    { clock: { type: "event", fn: "event => event.time", waitForSystemDuration: 0 }, window: { type: "tumbling", length: 60_000 }, insertMode: "last", emitMode: "final" },
    `${KEYED_ITEMS} Each step in after is a side, in order; rows are per key and window, [key, [v0, v1, ...]], null for a side without a value; items too late for their window go to the step's late output ("after": ["ID:late"]).`,
  ),
  capture: help("capture", [], { output: { type: "stdout" } }),
};

/**
 * The functions of blocks, by `<block>.<type>.<field>`: the event clock's, the function input's and
 * the function output's.
 */
export const BLOCK_FUNCTION_HELP: Readonly<Record<string, FunctionHelp>> = {
  "clock.event.fn": {
    field: "fn",
    apiName: "dtGetter",
    signature: "fn(value) => Date or epoch milliseconds",
    description: "The time of each item: it receives the value of each [key, value] item (not the pair) and returns when the item happened.",
    returns: RETURN_RULES.time,
  },
  "input.function.fn": {
    field: "fn",
    apiName: "builder",
    signature: "fn(workerIndex, workerCount, resumeState) => iterable of [state, item]",
    description: "Called once per worker; yields [state, item] pairs (an async generator may await). A resumed run passes back the state of the last item it had.",
  },
  "output.function.fn": {
    field: "fn",
    apiName: "outputBuilder",
    signature: "fn(workerIndex, workerCount) => (item => ...)",
    description: "Called once per worker; returns the function that receives each item (it may return a Promise, awaited before the next item).",
  },
};

/** Said of every function of a flow: the runner refuses a Promise where a value is expected. */
export const SYNCHRONOUS_FUNCTIONS = "Functions run synchronously: an async function returns a Promise, which the runner refuses.";

/**
 * The help of a step's function field; undefined when the step kind has no such function (block
 * functions are in BLOCK_FUNCTION_HELP).
 *
 * @example
 * functionHelp("filter", "fn")?.signature; // "fn(item) => true or false"
 */
export function functionHelp(op: FlowStepOp, field: string): FunctionHelp | undefined {
  return STEP_HELP[op].functions.find((candidate) => candidate.field === field);
}
