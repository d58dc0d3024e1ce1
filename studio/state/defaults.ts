/**
 * Working defaults for what the editor creates: a new step of each kind (valid once connected),
 * and each block type (input, sample, output, clock, window, epoch, recovery) with its required
 * fields filled in, used when the user picks another `type` for a block. Secrets stay `$env`
 * references: defaults never hold a broker address or a password.
 */

import type {
  ClockBlock,
  EpochBlock,
  FlowStep,
  FlowStepOp,
  InputBlock,
  OutputBlock,
  RecoveryBlock,
  SampleBlock,
  WindowBlock,
} from "../../engine/host/index.js";

/** Items of a new list input: a few sentences, so that map/flat_map/filter have something to chew on. */
export const SAMPLE_ITEMS: readonly string[] = ["to be or not to be", "that is the question", "the rest is silence"];

const kafkaBrokers = () => [{ $env: "KAFKA_BROKERS" }];

/** Defaults for each type of each block kind, as fresh objects (callers may keep them). */
export const BLOCK_DEFAULTS = {
  input: {
    list: (): InputBlock => ({ type: "list", items: [...SAMPLE_ITEMS] }),
    file: (): InputBlock => ({ type: "file", path: "data/input.txt" }),
    function: (): InputBlock => ({
      type: "function",
      fn: [
        "function* (workerIndex, workerCount, resumeState) {",
        "  // Yield [resumeState, item] pairs; resumeState is where this worker resumes after a failure.",
        "  let next = resumeState ?? 0;",
        "  while (next < 3) {",
        "    yield [next + 1, `item ${next}`];",
        "    next += 1;",
        "  }",
        "}",
      ],
    }),
    kafka: (): InputBlock => ({ type: "kafka", brokers: kafkaBrokers(), topic: "input", tail: false }),
  },
  sample: {
    list: (): SampleBlock => ({ type: "list", items: [...SAMPLE_ITEMS] }),
  },
  output: {
    stdout: (): OutputBlock => ({ type: "stdout" }),
    file: (): OutputBlock => ({ type: "file", path: "out/output.jsonl" }),
    function: (): OutputBlock => ({ type: "function", fn: "(workerIndex, workerCount) => item => console.log(item)" }),
    kafka: (): OutputBlock => ({ type: "kafka", brokers: kafkaBrokers(), topic: "output" }),
  },
  clock: {
    system: (): ClockBlock => ({ type: "system" }),
    testing: (): ClockBlock => ({ type: "testing", itemIncr: 1000, startAt: "2024-01-01T00:00:00Z" }),
    event: (): ClockBlock => ({ type: "event", fn: "item => item.time", waitForSystemDuration: 0 }),
  },
  window: {
    tumbling: (): WindowBlock => ({ type: "tumbling", length: 10_000 }),
    sliding: (): WindowBlock => ({ type: "sliding", length: 10_000, offset: 5_000 }),
    session: (): WindowBlock => ({ type: "session", gap: 5_000 }),
  },
  epoch: {
    periodic: (): EpochBlock => ({ type: "periodic", length: 10_000 }),
    testing: (): EpochBlock => ({ type: "testing" }),
  },
  recovery: {
    file: (): RecoveryBlock => ({ type: "file", dir: "./state" }),
    memory: (): RecoveryBlock => ({ type: "memory" }),
    indexeddb: (): RecoveryBlock => ({ type: "indexeddb", dbName: "eddy-recovery" }),
    kafka: (): RecoveryBlock => ({ type: "kafka", brokers: kafkaBrokers(), topicPrefix: "eddy" }),
  },
} as const;

export type BlockKind = keyof typeof BLOCK_DEFAULTS;

/** The block kind of a step field or execution field, if it is one ("input", "clock", ...). */
export function blockKindOf(field: string): BlockKind | undefined {
  return Object.prototype.hasOwnProperty.call(BLOCK_DEFAULTS, field) ? (field as BlockKind) : undefined;
}

/** The types a block kind offers, in the order the forms list them. */
export function blockTypes(kind: BlockKind): readonly string[] {
  return Object.keys(BLOCK_DEFAULTS[kind]);
}

/** A fresh block of `kind` and `type` with its defaults, or undefined for an unknown type. */
export function defaultBlock(kind: BlockKind, type: string): Record<string, unknown> | undefined {
  const table = BLOCK_DEFAULTS[kind] as Record<string, () => object>;
  const make = Object.prototype.hasOwnProperty.call(table, type) ? table[type] : undefined;
  return make ? (make() as Record<string, unknown>) : undefined;
}

/** The fields of a new step of each kind, apart from `id` and `after`. */
const STEP_FIELDS: Readonly<Record<FlowStepOp, () => Record<string, unknown>>> = {
  input: () => ({ input: BLOCK_DEFAULTS.input.list() }),
  map: () => ({ fn: "item => item" }),
  flat_map: () => ({ fn: "item => [item]" }),
  filter: () => ({ fn: "item => true" }),
  inspect: () => ({ fn: "item => console.log(item)" }),
  inspect_epoch: () => ({ fn: "(epoch, item) => console.log(epoch, item)" }),
  reduce: () => ({ fn: "(acc, value) => acc + value", isComplete: "acc => acc >= 10" }),
  stateful_map: () => ({ builder: "() => 0", fn: "(state, value) => [state + 1, value]" }),
  reduce_window: () => ({ clock: BLOCK_DEFAULTS.clock.system(), window: BLOCK_DEFAULTS.window.tumbling(), fn: "(acc, value) => acc + value" }),
  fold_window: () => ({
    clock: BLOCK_DEFAULTS.clock.system(),
    window: BLOCK_DEFAULTS.window.tumbling(),
    builder: "() => []",
    fn: "(acc, value) => [...acc, value]",
  }),
  collect_window: () => ({ clock: BLOCK_DEFAULTS.clock.system(), window: BLOCK_DEFAULTS.window.tumbling() }),
  count_window: () => ({ clock: BLOCK_DEFAULTS.clock.system(), window: BLOCK_DEFAULTS.window.tumbling() }),
  join: () => ({ insertMode: "last", emitMode: "complete" }),
  join_window: () => ({ clock: BLOCK_DEFAULTS.clock.system(), window: BLOCK_DEFAULTS.window.tumbling(), insertMode: "last", emitMode: "final" }),
  capture: () => ({ output: BLOCK_DEFAULTS.output.stdout() }),
};

/** Whether `op` is a step kind the editor can create. */
export function isStepOp(op: unknown): op is FlowStepOp {
  return typeof op === "string" && Object.prototype.hasOwnProperty.call(STEP_FIELDS, op);
}

/**
 * A new step of kind `op`: its default fields, `after` when given (never for an input). Without
 * `after` a non-input step is unconnected, which validation reports until it is connected.
 */
export function defaultStep(op: FlowStepOp, id: string, after?: readonly string[]): FlowStep {
  const withAfter = op !== "input" && after && after.length > 0 ? { after: [...after] } : {};
  return { id, op, ...withAfter, ...STEP_FIELDS[op]() } as FlowStep;
}
