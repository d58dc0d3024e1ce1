/**
 * The flow definition format (`eddy.flow`, DESIGN section 7) as one zod schema: the single source of
 * truth for validation, for the TypeScript types below and for the JSON Schema that editors use
 * (`schema/eddy-flow.schema.json`, written by `scripts/write-flow-schema.ts`).
 *
 * Every object is strict (an unknown field is a problem) except inside `ui`, which is layout only.
 * Graph rules (unique ids, `after` naming real steps, no cycles, an input and a capture) and the
 * syntax of functions are checked by `validateFlow.ts`, which also turns zod's issues into problems.
 */

import * as z from "zod";

import { FLOW_FORMAT, FLOW_FORMAT_VERSION } from "./formatVersion.js";

export { FLOW_FORMAT, FLOW_FORMAT_VERSION };

/** Step ids are recovery keys: unique, stable, and of this shape. */
export const STEP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * An entry of `after`: a step id, for the step's items, or `STEP:OUTPUT` for another output of the
 * step (`count:late`, a window step's late items). Which outputs exist is checked with the graph.
 */
export const AFTER_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(:[A-Za-z0-9_-]+)?$/;

/** Names of environment variables in `{ "$env": NAME }` references. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What a value is expected to be, as validation messages say it ("expected <text>"). Kept apart
 * from the JSON Schema metadata (below) so that the generated schema stays clean.
 */
export const expectations = z.registry<{ expected: string }>();

function expecting<T extends z.ZodType>(schema: T, expected: string): T {
  expectations.add(schema, { expected });
  return schema;
}

/**
 * JSON Schema metadata (`id` makes a schema a named `$defs` entry). A registry of its own rather
 * than zod's global one, so that loading this module twice never clashes on ids.
 */
export const jsonSchemaMetadata = z.registry<{ id?: string; title?: string; description?: string }>();

function doc<T extends z.ZodType>(schema: T, meta: { id?: string; title?: string; description?: string }): T {
  jsonSchemaMetadata.add(schema, meta);
  return schema;
}

/**
 * The fields that are durations in milliseconds (the studio's forms say "ms" and also take "10s",
 * "2m"). Kept apart from the JSON Schema metadata, as `expectations` is.
 */
export const durations = z.registry<{ unit: "ms" }>();

function duration<T extends z.ZodType>(schema: T): T {
  durations.add(schema, { unit: "ms" });
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Reusable values

/** `{ "$env": "NAME" }`: a value read from the environment by the runner, never written back. */
export const envRefSchema = doc(
  expecting(
    z.strictObject({
      $env: expecting(z.string().regex(ENV_NAME_PATTERN), "an environment variable name (a letter or _, then letters, digits or _)"),
    }),
    'an { "$env": NAME } reference',
  ),
  { id: "EnvRef", description: "A value read from the environment variable NAME when the flow runs; never written back." },
);

/** A non-empty string, or an `$env` reference (paths, brokers, topics, directories, names). */
export const stringOrEnvSchema = doc(
  expecting(z.union([z.string().min(1), envRefSchema]), 'a non-empty string or an { "$env": NAME } reference'),
  { id: "StringOrEnv" },
);

/** A JavaScript function expression: one string, or an array of lines joined with "\n". */
export const functionSourceSchema = doc(
  expecting(z.union([z.string(), z.array(z.string())]), "a JavaScript function expression (a string, or an array of lines)"),
  { id: "Function", description: 'A JavaScript function expression, e.g. "x => x + 1", as a string or an array of lines.' },
);

/** Epoch milliseconds, or an ISO 8601 date-time with a time zone ("2024-01-01T00:00:00Z"). */
export const instantSchema = doc(
  expecting(
    z.union([z.number(), z.iso.datetime({ offset: true })]),
    'epoch milliseconds or an ISO 8601 date-time with a time zone (e.g. "2024-01-01T00:00:00Z")',
  ),
  { id: "Instant", description: 'Epoch milliseconds, or an ISO 8601 date-time with a time zone ("2024-01-01T00:00:00Z").' },
);

const nonNegativeMillis = duration(doc(expecting(z.number().min(0), "a number of milliseconds, not negative"), { id: "Duration" }));
const positiveMillis = duration(doc(expecting(z.number().min(1), "a number of milliseconds, at least 1"), { id: "PositiveDuration" }));
/** An epoch must last some time: more than 0 milliseconds, as `--epoch-length`. */
const epochLengthMillis = duration(expecting(z.number().gt(0), "a number of milliseconds, more than 0"));
const brokersSchema = doc(
  expecting(z.array(stringOrEnvSchema).min(1), 'a non-empty array of broker addresses ("host:port" strings or { "$env": NAME } references)'),
  { id: "Brokers", description: 'Kafka brokers, "host:port"; an $env value may list several, separated by commas.' },
);

// ---------------------------------------------------------------------------------------------
// Blocks

export const listInputSchema = doc(z.strictObject({ type: z.literal("list"), items: z.array(z.unknown()) }), {
  id: "ListInput",
  description: "The items of a list, distributed over workers (TestingInputConfig).",
});
export const fileInputSchema = z.strictObject({ type: z.literal("file"), path: stringOrEnvSchema });
export const functionInputSchema = z.strictObject({ type: z.literal("function"), fn: functionSourceSchema });
export const kafkaInputSchema = z.strictObject({
  type: z.literal("kafka"),
  brokers: brokersSchema,
  topic: stringOrEnvSchema,
  tail: z.boolean().optional(),
  startingOffset: z.enum(["beginning", "end"]).optional(),
  additionalProperties: z.record(z.string(), stringOrEnvSchema).optional(),
  decode: doc(z.enum(["utf8", "json"]), {
    description: 'Decode records: "utf8" gives [key, payload] as strings, "json" a string key and the payload parsed as JSON; without it both are bytes (Uint8Array or null).',
  }).optional(),
});
export const inputBlockSchema = doc(z.discriminatedUnion("type", [listInputSchema, fileInputSchema, functionInputSchema, kafkaInputSchema]), {
  id: "InputBlock",
  description: "Where a stream's items come from.",
});
/** A `list` sample: the items, and optionally their pace in simulated runs (`intervalMs`). */
export const listSampleSchema = doc(
  z.strictObject({
    type: z.literal("list"),
    items: z.array(z.unknown()),
    intervalMs: doc(duration(expecting(z.number().int().min(1), "a whole number of milliseconds, at least 1")), {
      description: "In simulated runs, one sample item per intervalMs of the run's clock; without it, the items are read at once.",
    }).optional(),
  }),
  { id: "ListSample", description: "Sample items, distributed over workers as a list input's are." },
);
/** A step's `sample`: the items the studio feeds it in simulated runs (the runner ignores it). */
export const sampleBlockSchema = doc(z.discriminatedUnion("type", [listSampleSchema]), {
  id: "SampleBlock",
  description: "Items the studio feeds the input in simulated runs; the runner ignores them.",
});

export const stdoutOutputSchema = z.strictObject({ type: z.literal("stdout") });
export const fileOutputSchema = z.strictObject({ type: z.literal("file"), path: stringOrEnvSchema });
export const functionOutputSchema = z.strictObject({ type: z.literal("function"), fn: functionSourceSchema });
export const kafkaOutputSchema = z.strictObject({
  type: z.literal("kafka"),
  brokers: brokersSchema,
  topic: stringOrEnvSchema,
  additionalProperties: z.record(z.string(), stringOrEnvSchema).optional(),
  exactlyOnce: doc(z.boolean(), {
    description: "One Kafka transaction per epoch per worker, committed once the epoch is durable on every worker (read_committed consumers then see each item once across crashes); default false: at least once.",
  }).optional(),
});
export const outputBlockSchema = doc(z.discriminatedUnion("type", [stdoutOutputSchema, fileOutputSchema, functionOutputSchema, kafkaOutputSchema]), {
  id: "OutputBlock",
  description: "Where a capture step writes items.",
});

export const systemClockSchema = z.strictObject({ type: z.literal("system") });
export const testingClockSchema = z.strictObject({ type: z.literal("testing"), itemIncr: nonNegativeMillis, startAt: instantSchema });
export const eventClockSchema = z.strictObject({ type: z.literal("event"), fn: functionSourceSchema, waitForSystemDuration: nonNegativeMillis });
export const clockBlockSchema = doc(z.discriminatedUnion("type", [systemClockSchema, testingClockSchema, eventClockSchema]), {
  id: "ClockBlock",
  description: "The clock of a window step: the time of each item and the watermark.",
});

export const tumblingWindowSchema = z.strictObject({ type: z.literal("tumbling"), length: positiveMillis, startAt: instantSchema.optional() });
export const slidingWindowSchema = doc(
  z.strictObject({
    type: z.literal("sliding"),
    length: positiveMillis,
    offset: positiveMillis,
    startAt: instantSchema.optional(),
  }),
  { description: "Windows of `length` starting every `offset` (not more than `length`; Bytewax 0.21's SlidingWindower); an item belongs to every window that contains it." },
);
export const sessionWindowSchema = doc(
  z.strictObject({ type: z.literal("session"), gap: nonNegativeMillis }),
  { description: "Sessions of a key's items at most `gap` apart (Bytewax 0.21's SessionWindower): a session ends when no item comes for longer than `gap`; an item that bridges two sessions merges them." },
);
export const windowBlockSchema = doc(z.discriminatedUnion("type", [tumblingWindowSchema, slidingWindowSchema, sessionWindowSchema]), {
  id: "WindowBlock",
  description: "How a window step cuts time into windows.",
});

export const periodicEpochSchema = z.strictObject({ type: z.literal("periodic"), length: epochLengthMillis });
export const testingEpochSchema = z.strictObject({ type: z.literal("testing") });
export const epochBlockSchema = doc(z.discriminatedUnion("type", [periodicEpochSchema, testingEpochSchema]), {
  id: "EpochBlock",
  description: "How inputs cut their items into epochs, the unit of recovery.",
});

export const fileRecoverySchema = z.strictObject({ type: z.literal("file"), dir: stringOrEnvSchema });
export const memoryRecoverySchema = z.strictObject({ type: z.literal("memory") });
export const indexedDbRecoverySchema = z.strictObject({ type: z.literal("indexeddb"), dbName: stringOrEnvSchema });
export const kafkaRecoverySchema = z.strictObject({ type: z.literal("kafka"), brokers: brokersSchema, topicPrefix: stringOrEnvSchema });
export const recoveryBlockSchema = doc(z.discriminatedUnion("type", [fileRecoverySchema, memoryRecoverySchema, indexedDbRecoverySchema, kafkaRecoverySchema]), {
  id: "RecoveryBlock",
  description: "Where epoch snapshots are stored so that a failed run can resume.",
});

// ---------------------------------------------------------------------------------------------
// Steps

export const stepIdSchema = doc(expecting(z.string().regex(STEP_ID_PATTERN), "a step id: a letter or digit, then letters, digits, _ or -"), {
  id: "StepId",
  description: "Names the step; unique in the flow. Ids of steps that keep state are recovery keys: keep them stable.",
});
const afterRefSchema = doc(expecting(z.string().regex(AFTER_REF_PATTERN), 'a step id, or "STEP:late" for the late items of a window step'), {
  id: "AfterRef",
  description: 'A step whose items feed this one: its id, or "ID:late" for the items that came too late for a window step\'s windows.',
});
const afterSchema = doc(expecting(z.array(afterRefSchema).min(1), "a non-empty array of step ids"), {
  id: "After",
  description: 'The steps that feed this one (their ids, or "ID:late" for a window step\'s late items); several merge their streams (a union).',
});
const withWindowSchema = doc(z.boolean(), {
  id: "WithWindow",
  description: "Emit each result with its window, as [key, [windowStart, windowEnd, value]] in epoch milliseconds (default false).",
});
const label = doc(z.string(), { id: "Label", description: "A display name for the studio." });
const notes = doc(z.string(), { id: "Notes", description: "Free text for readers of the flow." });
/** `"disabled": true` takes a step out of runs (see stepActivity.ts for what that means downstream). */
const disabled = doc(expecting(z.boolean(), "true or false"), {
  id: "Disabled",
  description:
    "true: the step does not run and passes nothing on; a step fed only by disabled or skipped steps is skipped too. Problems inside a disabled step are warnings: it may be half-configured.",
});

const stepDoc = (id: string, description: string) => ({ id, description });

export const inputStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("input"), disabled: disabled.optional(), input: inputBlockSchema, sample: sampleBlockSchema.optional(), label: label.optional(), notes: notes.optional() }),
  stepDoc("InputStep", "Introduces items from a source; starts a new stream."),
);
export const mapStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("map"), after: afterSchema, disabled: disabled.optional(), fn: functionSourceSchema, label: label.optional(), notes: notes.optional() }),
  stepDoc("MapStep", "Transforms each item one to one: fn(item) => out."),
);
export const flatMapStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("flat_map"), after: afterSchema, disabled: disabled.optional(), fn: functionSourceSchema, label: label.optional(), notes: notes.optional() }),
  stepDoc("FlatMapStep", "Turns each item into any number of items: fn(item) => iterable."),
);
export const filterStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("filter"), after: afterSchema, disabled: disabled.optional(), fn: functionSourceSchema, label: label.optional(), notes: notes.optional() }),
  stepDoc("FilterStep", "Keeps the items for which fn(item) returns true."),
);
export const inspectStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("inspect"), after: afterSchema, disabled: disabled.optional(), fn: functionSourceSchema, label: label.optional(), notes: notes.optional() }),
  stepDoc("InspectStep", "Calls fn(item) with each item and passes it on."),
);
export const inspectEpochStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("inspect_epoch"), after: afterSchema, disabled: disabled.optional(), fn: functionSourceSchema, label: label.optional(), notes: notes.optional() }),
  stepDoc("InspectEpochStep", "Calls fn(epoch, item) with each item and passes it on."),
);
export const reduceStepSchema = doc(
  z.strictObject({
    id: stepIdSchema,
    op: z.literal("reduce"),
    after: afterSchema,
    disabled: disabled.optional(),
    fn: functionSourceSchema,
    isComplete: functionSourceSchema,
    label: label.optional(),
    notes: notes.optional(),
  }),
  stepDoc("ReduceStep", "Combines a key's values with fn(acc, value) until isComplete(acc) is true; items are [key, value]."),
);
export const statefulMapStepSchema = doc(
  z.strictObject({
    id: stepIdSchema,
    op: z.literal("stateful_map"),
    after: afterSchema,
    disabled: disabled.optional(),
    builder: functionSourceSchema,
    fn: functionSourceSchema,
    label: label.optional(),
    notes: notes.optional(),
  }),
  stepDoc("StatefulMapStep", "Maps each value with per-key state: builder() => state, fn(state, value) => [state, out]."),
);
/**
 * A window step's schema: the settings every window step has (clock, window, withWindow) around
 * the functions its kind takes (`functions`, none for collect_window and count_window).
 *
 * @example
 * const countWindowStepSchema = windowStepSchema("count_window", {}, "CountWindowStep", "Counts a key's values per window.");
 */
function windowStepSchema<Op extends string, Functions extends z.ZodRawShape>(op: Op, functions: Functions, id: string, description: string) {
  return doc(
    z.strictObject({
      id: stepIdSchema,
      op: z.literal(op),
      after: afterSchema,
      disabled: disabled.optional(),
      clock: clockBlockSchema,
      window: windowBlockSchema,
      ...functions,
      withWindow: withWindowSchema.optional(),
      label: label.optional(),
      notes: notes.optional(),
    }),
    stepDoc(id, description),
  );
}
export const reduceWindowStepSchema = windowStepSchema(
  "reduce_window",
  { fn: functionSourceSchema },
  "ReduceWindowStep",
  "Combines a key's values per window with fn(acc, value); items are [key, value]. Merged sessions combine with fn(earlier, later).",
);
export const foldWindowStepSchema = windowStepSchema(
  "fold_window",
  { builder: functionSourceSchema, fn: functionSourceSchema, merger: functionSourceSchema.optional() },
  "FoldWindowStep",
  "Folds a key's values per window: builder() => acc, fn(acc, value) => acc; merger(earlier, later) => acc combines two sessions that an item bridges (required with session windows).",
);
export const collectWindowStepSchema = windowStepSchema("collect_window", {}, "CollectWindowStep", "Collects a key's values per window into an array, in time order; items are [key, value].");
export const countWindowStepSchema = windowStepSchema("count_window", {}, "CountWindowStep", "Counts a key's values per window; items are [key, value].");
/** Bytewax 0.21's join modes (engine/dataflow/steps.ts has the same lists). */
export const joinInsertModeSchema = doc(expecting(z.enum(["first", "last", "product"]), '"first", "last" or "product"'), {
  id: "JoinInsertMode",
  description: 'How a join keeps each side\'s values: "first" keeps the first, "last" (default) the latest, "product" every one (rows are every combination).',
});
export const joinEmitModeSchema = doc(expecting(z.enum(["complete", "final", "running"]), '"complete", "final" or "running"'), {
  id: "JoinEmitMode",
  description: 'When a join emits: "complete" (join\'s default) once every side has a value, then forgets the key (join_window: empties the window); "final" (join_window\'s default) at end of input (join_window: when the window closes); "running" after every item, keeping the state.',
});
const joinSidesSchema = doc(expecting(z.array(afterRefSchema).min(1), "a non-empty array of step ids (the sides, in order)"), {
  id: "JoinSides",
  description:
    'The steps whose items are joined, in order: side 0, side 1, ...; each gives [key, value] items (a side may be "ID:late", a window step\'s late items). Usually two or more; one is allowed, as in Bytewax.',
});
export const joinStepSchema = doc(
  z.strictObject({
    id: stepIdSchema,
    op: z.literal("join"),
    after: joinSidesSchema,
    disabled: disabled.optional(),
    insertMode: joinInsertModeSchema.optional(),
    emitMode: joinEmitModeSchema.optional(),
    label: label.optional(),
    notes: notes.optional(),
  }),
  stepDoc("JoinStep", "Joins each key's values from the steps in `after` (the sides, in order): emits [key, [v0, v1, ...]], null for a side without a value."),
);
export const joinWindowStepSchema = doc(
  z.strictObject({
    id: stepIdSchema,
    op: z.literal("join_window"),
    after: joinSidesSchema,
    disabled: disabled.optional(),
    clock: clockBlockSchema,
    window: windowBlockSchema,
    insertMode: joinInsertModeSchema.optional(),
    emitMode: joinEmitModeSchema.optional(),
    label: label.optional(),
    notes: notes.optional(),
  }),
  stepDoc("JoinWindowStep", 'Joins each key\'s values from the steps in `after` (the sides, in order) per window: emits [key, [v0, v1, ...]], null for a side without a value; emitMode defaults to "final" (when the window closes).'),
);
export const captureStepSchema = doc(
  z.strictObject({ id: stepIdSchema, op: z.literal("capture"), after: afterSchema, disabled: disabled.optional(), output: outputBlockSchema, label: label.optional(), notes: notes.optional() }),
  stepDoc("CaptureStep", "Writes each item to an output and passes it on unchanged."),
);

export const stepSchema = doc(
  expecting(z.discriminatedUnion("op", [
    inputStepSchema,
    mapStepSchema,
    flatMapStepSchema,
    filterStepSchema,
    inspectStepSchema,
    inspectEpochStepSchema,
    reduceStepSchema,
    statefulMapStepSchema,
    reduceWindowStepSchema,
    foldWindowStepSchema,
    collectWindowStepSchema,
    countWindowStepSchema,
    joinStepSchema,
    joinWindowStepSchema,
    captureStepSchema,
  ]), 'a step (an object with an "id" and an "op")'),
  { id: "Step", description: "One step of the flow; `op` is its kind, with Bytewax's operator names." },
);

/** The step kinds of flow files, in the order the schema lists them (the engine's `STEP_KINDS`; a test checks both). */
export const FLOW_STEP_OPS = [
  "input",
  "map",
  "flat_map",
  "filter",
  "inspect",
  "inspect_epoch",
  "reduce",
  "stateful_map",
  "reduce_window",
  "fold_window",
  "collect_window",
  "count_window",
  "join",
  "join_window",
  "capture",
] as const;

/** The function fields of each step kind (`fn` is the main one; `merger` is optional). */
export const STEP_FUNCTION_FIELDS: Readonly<Record<(typeof FLOW_STEP_OPS)[number], readonly string[]>> = {
  input: [],
  map: ["fn"],
  flat_map: ["fn"],
  filter: ["fn"],
  inspect: ["fn"],
  inspect_epoch: ["fn"],
  reduce: ["fn", "isComplete"],
  stateful_map: ["builder", "fn"],
  reduce_window: ["fn"],
  fold_window: ["builder", "fn", "merger"],
  collect_window: [],
  count_window: [],
  join: [],
  join_window: [],
  capture: [],
};

// ---------------------------------------------------------------------------------------------
// The document

export const executionSchema = doc(
  z.strictObject({
    epoch: epochBlockSchema.optional(),
    recovery: recoveryBlockSchema.optional(),
    workers: doc(expecting(z.number().int().min(1), "a positive integer"), { description: "Workers per process." }).optional(),
  }),
  { description: "How the runner runs the flow; command-line options override it." },
);

export const positionSchema = z.looseObject({ x: z.number(), y: z.number() });
export const uiSchema = doc(z.looseObject({ positions: z.record(z.string(), positionSchema).optional() }), {
  description: "Studio layout only (node positions by step id, and anything else the studio keeps); the runner ignores it.",
});

export const flowSchema = doc(
  z.strictObject({
    $schema: doc(z.string(), { description: "The JSON Schema of this file, for editors; ignored by Eddy." }).optional(),
    format: z.literal(FLOW_FORMAT),
    version: doc(expecting(z.literal(FLOW_FORMAT_VERSION), `${FLOW_FORMAT_VERSION} (the flow format version)`), {
      description: "The format version: an integer. Older versions are migrated on load; newer ones are refused.",
    }),
    name: z.string().optional(),
    description: z.string().optional(),
    steps: z.array(stepSchema),
    execution: executionSchema.optional(),
    ui: uiSchema.optional(),
  }),
  { title: "Eddy flow definition", description: "A dataflow for Eddy (Bytewax 0.11 semantics): steps form a DAG through `after`." },
);

export type EnvRef = z.infer<typeof envRefSchema>;
export type StringOrEnv = z.infer<typeof stringOrEnvSchema>;
export type FunctionSource = z.infer<typeof functionSourceSchema>;
export type InputBlock = z.infer<typeof inputBlockSchema>;
export type SampleBlock = z.infer<typeof sampleBlockSchema>;
export type OutputBlock = z.infer<typeof outputBlockSchema>;
export type ClockBlock = z.infer<typeof clockBlockSchema>;
export type WindowBlock = z.infer<typeof windowBlockSchema>;
export type EpochBlock = z.infer<typeof epochBlockSchema>;
export type RecoveryBlock = z.infer<typeof recoveryBlockSchema>;
export type FlowStep = z.infer<typeof stepSchema>;
export type FlowStepOp = FlowStep["op"];
export type FlowExecution = z.infer<typeof executionSchema>;
export type FlowUi = z.infer<typeof uiSchema>;
export type FlowDefinition = z.infer<typeof flowSchema>;
