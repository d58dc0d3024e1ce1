/**
 * Every error code Eddy raises, in one closed table: the area it belongs to, the exit code of
 * `eddy run` when it ends a run, and what it means. `ErrorCode` is a key of this table, so an error
 * built with a code that is not listed here does not compile. test/errors/errorCodes.test.ts fails
 * when a code in the sources is missing here, when a code listed here is raised nowhere, and when
 * the README's "Error codes" section is not this table (`npx tsx scripts/write-error-codes.ts`
 * writes that section).
 *
 * `exit` (see node-runner/exitCodes.ts): 2 the flow file is invalid, 3 a step, an input or an output
 * failed, 4 the recovery store refused or failed, 5 the cluster broke (a process died, never
 * answered or runs something else), 1 anything else (the runner's own failure; codes
 * of the studio and of the TypeScript API never reach the runner). Where the runner is when the
 * error arrives matters too (node-runner/errors/report.ts):
 * - before any worker thread starts (`eddy run` checking the file, `eddy validate`): an exit of 2
 *   stays 2, anything else is 1 (an unexpected error);
 * - while the recovery store is prepared: every error is 4;
 * - from a worker thread: `threadExit` when given, else `exit`; and an exit of 1 becomes 3 when the
 *   error happened in a step (as does an error without a code, thrown by user code).
 */

export type ErrorArea = "flow" | "config" | "step" | "input" | "output" | "exchange" | "recovery" | "execution" | "cluster" | "runner" | "studio";

export interface ErrorCodeInfo {
  readonly area: ErrorArea;
  readonly exit: 1 | 2 | 3 | 4 | 5;
  /** The exit code when a worker thread raises it, where that differs from `exit`. */
  readonly threadExit?: 3;
  readonly meaning: string;
}

export const ERROR_CODES = {
  // The flow definition (the flow file, or the studio's flow): refused before anything runs.
  FLOW_JSON_SYNTAX: { area: "flow", exit: 2, meaning: "The flow file's text is not JSON (the line and column are given)" },
  FLOW_WRONG_FORMAT: { area: "flow", exit: 2, meaning: 'The flow\'s `format` is not "eddy.flow"' },
  FLOW_VERSION_NEWER: { area: "flow", exit: 2, meaning: "The flow's `version` is newer than this Eddy reads" },
  FLOW_UNKNOWN_FIELD: { area: "flow", exit: 2, meaning: "A field that the flow format does not have" },
  FLOW_MISSING_FIELD: { area: "flow", exit: 2, meaning: "A required field is absent" },
  FLOW_WRONG_TYPE: { area: "flow", exit: 2, meaning: "A value of the wrong JSON type (a number where a string belongs, ...)" },
  FLOW_INVALID_VALUE: { area: "flow", exit: 2, meaning: "A value of the right type outside what is allowed (an empty array, a negative length, ...)" },
  FLOW_UNKNOWN_STEP_KIND: { area: "flow", exit: 2, meaning: "A step's `op` is not a step kind" },
  FLOW_UNKNOWN_BLOCK_TYPE: { area: "flow", exit: 2, meaning: "A block's `type` (input, sample, output, clock, window, epoch, recovery) is not one of its types" },
  FLOW_INVALID_STEP_ID: { area: "flow", exit: 2, meaning: "A step id that does not match `^[A-Za-z0-9][A-Za-z0-9_-]*$`" },
  FLOW_DUPLICATE_STEP_ID: { area: "flow", exit: 2, meaning: "Two steps with the same id" },
  FLOW_UNKNOWN_AFTER: { area: "flow", exit: 2, meaning: "`after` names a step that does not exist" },
  FLOW_DUPLICATE_AFTER: { area: "flow", exit: 2, meaning: "`after` names the same step twice" },
  FLOW_UNKNOWN_OUTPUT: { area: "flow", exit: 2, meaning: "`after` names an output a step does not have (`ID:late` of a step that is not a window step, or another name after the `:`)" },
  FLOW_INPUT_AFTER: { area: "flow", exit: 2, meaning: "An input step with `after` (inputs start streams)" },
  FLOW_CYCLE: { area: "flow", exit: 2, meaning: "Steps that feed each other in a circle, or a step that feeds itself" },
  FLOW_NO_INPUT: { area: "flow", exit: 2, meaning: "The flow has no input step" },
  FLOW_NO_CAPTURE: { area: "flow", exit: 2, meaning: "The flow has no capture step" },
  FLOW_FUNCTION_SYNTAX: { area: "flow", exit: 2, meaning: "A function's source does not parse as JavaScript (the line and column in the function are given)" },
  FLOW_NOT_A_FUNCTION: { area: "flow", exit: 2, meaning: "A function's source parses but is not a function expression" },
  FLOW_ENV_UNRESOLVED: { area: "flow", exit: 2, meaning: 'A `{ "$env": NAME }` where nothing resolves it (inside list or sample items, `ui`)' },
  FLOW_INTERNAL_ERROR: { area: "flow", exit: 2, meaning: "Validation itself failed (a bug); the message says how" },
  FLOW_INVALID: { area: "flow", exit: 2, meaning: "A flow with problems was given to compile; the message lists every problem" },
  FLOW_OUTPUT_CONFLICT: { area: "flow", exit: 2, meaning: "Two captures of a flow file write the same file" },
  FLOW_ENV_MISSING: { area: "flow", exit: 2, meaning: "A `$env` variable that the flow names is not set" },
  FLOW_FUNCTION_REFUSED: { area: "flow", exit: 2, meaning: "A function's source is refused before it is compiled: it is not one function expression" },
  FLOW_FUNCTION_COMPILE: { area: "flow", exit: 2, meaning: "A function's source does not compile (the browser's compiler)" },
  FLOW_FUNCTION_INVALID: { area: "flow", exit: 2, meaning: "A function's source does not compile (the runner's `node:vm` compiler; the line is given)" },
  FLOW_STREAM_INVALID: { area: "flow", exit: 2, meaning: "A `Dataflow` call got a stream it cannot use: not a Stream, another dataflow's, none yet, or a merge as a join's side" },
  FLOW_NOT_CALLABLE: { area: "flow", exit: 2, meaning: "A step's function is not a function (an argument of a builder, or what a source compiled to)" },

  // Configuration values and the tables of a host (engine/host/).
  CONFIG_INVALID: { area: "config", exit: 2, threadExit: 3, meaning: "A configuration value is wrong (an epoch length, a path, a worker count, an unknown config type, ...)" },
  ADAPTER_MISSING: { area: "config", exit: 2, threadExit: 3, meaning: "An input, output, recovery store or transport that the host's tables lack (Kafka in the browser, IndexedDB in Node, ...)" },

  // A step got or returned a value of the wrong shape (a TypeError naming the step).
  STEP_NOT_KEYED: { area: "step", exit: 3, meaning: "An item that reached a stateful step is not a `[key, value]` 2-element array" },
  STEP_KEY_NOT_STRING: { area: "step", exit: 3, meaning: "The key of an item that reached a stateful step is not a string" },
  STEP_NOT_BOOLEAN: { area: "step", exit: 3, meaning: "A predicate (`filter`, `isComplete`) returned something other than a boolean" },
  STEP_NOT_PAIR: { area: "step", exit: 3, meaning: "A `stateful_map` mapper did not return `[updatedState, updatedValue]`" },
  STEP_NOT_ITERABLE: { area: "step", exit: 3, meaning: "A `flat_map` mapper returned something that is not iterable" },
  STEP_NOT_TIME: { area: "step", exit: 3, meaning: "An event clock's function (`dtGetter`; the clock's `fn` in a flow file) returned something other than a Date or epoch milliseconds" },
  STEP_RETURNED_PROMISE: { area: "step", exit: 3, meaning: "A step function returned a Promise (or another thenable) where a value is expected" },

  // Inputs and outputs.
  INPUT_NOT_PAIR: { area: "input", exit: 3, meaning: "A manual input builder yielded something other than a `[state, item]` pair" },
  INPUT_FILE_UNREADABLE: { area: "input", exit: 3, meaning: "A file input cannot open or read its file" },
  INPUT_FILE_CHANGED: { area: "input", exit: 3, meaning: "A file input's file is shorter than the position a resumed run saved: it changed since" },
  INPUT_KAFKA_UNREACHABLE: { area: "input", exit: 3, meaning: "A Kafka input cannot reach any of its brokers (refused, timed out, authentication failed) within its connection deadline" },
  INPUT_KAFKA_TOPIC_MISSING: { area: "input", exit: 3, meaning: "A Kafka input's topic does not exist (Eddy never creates it)" },
  INPUT_KAFKA_OFFSET_OUT_OF_RANGE: { area: "input", exit: 3, meaning: "A Kafka partition no longer holds the offset to read next (retention deleted it, or the topic was recreated), and `auto.offset.reset` is not set" },
  INPUT_KAFKA_DECODE: { area: "input", exit: 3, meaning: 'A Kafka record that `decode: "json"` cannot parse (the partition and offset are given)' },
  INPUT_KAFKA_COMPRESSION_UNSUPPORTED: { area: "input", exit: 3, meaning: "A Kafka record batch that the input must read is compressed with snappy, lz4 or zstd (Eddy decodes uncompressed and gzip batches)" },
  INPUT_KAFKA_OFFSET_TOO_LARGE: { area: "input", exit: 3, meaning: "A Kafka offset beyond 2^53 (Eddy keeps offsets in JavaScript numbers)" },
  INPUT_KAFKA_FAILED: { area: "input", exit: 3, meaning: "Reading a Kafka topic failed for another reason (the broker's error is given)" },
  OUTPUT_NOT_STRINGABLE: { area: "output", exit: 3, meaning: "An item that standard output or a file output cannot write (JSON.stringify gives no text for it)" },
  OUTPUT_TOO_DEEP: { area: "output", exit: 3, meaning: "An item nested too deeply for JSON.stringify to write it" },
  OUTPUT_FILE_FAILED: { area: "output", exit: 3, meaning: "A file output cannot open or write its file" },
  OUTPUT_FILE_CHANGED: { area: "output", exit: 3, meaning: "A file output's file is gone or shorter than what a resumed run had written" },
  OUTPUT_KAFKA_NOT_PAIR: { area: "output", exit: 3, meaning: "An item that reached a Kafka output is not a `[key, payload]` pair of strings, Uint8Arrays or nulls (a TypeError naming the step)" },
  OUTPUT_KAFKA_UNREACHABLE: { area: "output", exit: 3, meaning: "A Kafka output cannot reach any of its brokers (refused, timed out, authentication failed) within its connection deadline" },
  OUTPUT_KAFKA_TOPIC_MISSING: { area: "output", exit: 3, meaning: "A Kafka output's topic does not exist (Eddy never creates it)" },
  OUTPUT_KAFKA_FAILED: { area: "output", exit: 3, meaning: "Producing to a Kafka topic, or committing a transaction, failed for another reason (the broker's error is given)" },
  OUTPUT_KAFKA_TRANSACTION_LOST: { area: "output", exit: 3, meaning: "An `exactlyOnce` transaction of a durable epoch was aborted by the broker before it could be committed (`transaction.timeout.ms` passed): its records are lost" },
  OUTPUT_STDOUT_FAILED: { area: "output", exit: 3, meaning: "Writing to standard output failed (its reader closed it, ...)" },

  // Items that go from one worker to another.
  EXCHANGE_NOT_PLAIN: { area: "exchange", exit: 3, meaning: "An item that goes to a keyed step is not plain data (a class instance, a function, a symbol)" },
  EXCHANGE_NOT_CLONEABLE: { area: "exchange", exit: 3, meaning: "An item or message cannot be copied to another worker thread" },
  EXCHANGE_BAD_FRAME: { area: "exchange", exit: 1, meaning: "A frame from another worker cannot be read (corrupt, truncated, or of another format version)" },

  // The recovery store.
  RECOVERY_LOCKED: { area: "recovery", exit: 4, meaning: "The recovery store is in use by another run" },
  RECOVERY_DIR_UNUSABLE: { area: "recovery", exit: 4, meaning: "The recovery directory cannot be created or written (it cannot hold a store)" },
  RECOVERY_CORRUPT: { area: "recovery", exit: 4, meaning: "Recovery data that does not check out (damaged, unreadable, in the wrong partition)" },
  RECOVERY_FORMAT_NEWER: { area: "recovery", exit: 4, meaning: "The store was written in a newer format than this Eddy reads" },
  RECOVERY_WORKER_COUNT: { area: "recovery", exit: 4, meaning: "The store was written by a run with another worker count" },
  RECOVERY_MISSING_PARTITION: { area: "recovery", exit: 4, meaning: "The store lacks the partition of some worker" },
  RECOVERY_UNKNOWN_STEPS: { area: "recovery", exit: 4, meaning: "The store holds state of steps that this flow does not have" },
  RECOVERY_STEP_CHANGED: { area: "recovery", exit: 4, meaning: "A step's window or clock changed since the store was written" },
  RECOVERY_DUPLICATE_STEP_ID: { area: "recovery", exit: 4, meaning: "With recovery, two steps that keep state have the same id" },
  RECOVERY_STORE_FULL: { area: "recovery", exit: 4, meaning: "The store cannot grow (a full disk, a quota, a file size limit); the epoch was not saved" },
  RECOVERY_WRITE_FAILED: { area: "recovery", exit: 4, meaning: "Writing to the store failed; the epoch was not saved" },
  RECOVERY_QUOTA: { area: "recovery", exit: 4, meaning: "The browser's storage quota for the IndexedDB store is used up" },
  RECOVERY_CLOSED: { area: "recovery", exit: 4, meaning: "The IndexedDB store was used after it was closed" },
  RECOVERY_KAFKA_UNREACHABLE: { area: "recovery", exit: 4, meaning: "The Kafka recovery store cannot reach any of its brokers within its deadline" },
  RECOVERY_KAFKA_TOPIC: { area: "recovery", exit: 4, meaning: "The Kafka recovery store's topic cannot hold this run's store (another partition count than the run's workers, not compacted, or a bad topic prefix)" },
  RECOVERY_KAFKA_FAILED: { area: "recovery", exit: 4, meaning: "The Kafka recovery store failed for another reason (the broker's error is given); the epoch was not saved" },
  RECOVERY_KAFKA_PARTITION_GONE: { area: "recovery", exit: 4, meaning: "The saved offsets of a Kafka input name partitions that its topic no longer has: the store cannot resume this input (run with --fresh, or restore the topic)" },
  RECOVERY_UNSERIALIZABLE: { area: "recovery", exit: 3, meaning: "A step's state cannot be saved (not plain data, or nested too deeply): the step's doing, so exit 3" },

  // Running flows from the TypeScript API.
  WORKER_FAILED: { area: "execution", exit: 1, meaning: "`clusterMain`: a worker failed; the message names it and the step, and `cause` is the original error" },
  NOT_SUPPORTED: { area: "execution", exit: 1, meaning: "A way of running that this host does not support (TCP clusters and `spawnCluster` outside Node)" },
  PARSE_INVALID_ARGS: { area: "execution", exit: 1, meaning: "`clusterArgs`, `procArgs`: a command line that the cluster options do not accept" },
  PARSE_INVALID_ENV: { area: "execution", exit: 1, meaning: "`procEnv`: an `EDDY_*` environment variable that is missing or has a value it does not accept" },

  // The processes of a cluster (node-runner/cluster/).
  CLUSTER_ADDRESS_INVALID: { area: "cluster", exit: 2, meaning: "A cluster's addresses or process id that cannot work (not host:port, a process id out of range)" },
  CLUSTER_MISMATCH: { area: "cluster", exit: 2, meaning: "Another process of the cluster runs another flow, worker count, process count, setting or Eddy version; both sides are named" },
  CLUSTER_LISTEN_FAILED: { area: "cluster", exit: 5, meaning: "This process cannot listen on its own address of the cluster (in use, not an address of this machine)" },
  CLUSTER_UNREACHABLE: { area: "cluster", exit: 5, meaning: "A process of the cluster never answered (or never connected) within the connection bound; its address is named" },
  CLUSTER_PROCESS_LOST: { area: "cluster", exit: 5, meaning: "A process of the cluster died: its connection closed without an orderly end (the process and its address are named)" },
  CLUSTER_PROCESS_SILENT: { area: "cluster", exit: 5, meaning: "A process of the cluster said nothing (not even its beat each second) for the peer timeout: stopped, hung or cut off by the network (the process and its address are named)" },
  CLUSTER_PROTOCOL: { area: "cluster", exit: 1, meaning: "A record from another process of the cluster that cannot be read, or that comes out of turn" },
  CLUSTER_PROCESS_FAILED: { area: "cluster", exit: 5, meaning: "A process started by `spawnCluster` or `eddy run -n` ended without finishing and without a report (killed by a signal, say)" },
  CLUSTER_SUPERVISOR_LOST: { area: "cluster", exit: 5, meaning: "The process that started this one (`eddy run -n`, `spawnCluster`) is gone: this process stops too" },

  // The runner itself.
  RUNNER_INTERNAL: { area: "runner", exit: 1, meaning: "The runner's threads disagree on which worker is where (a bug)" },
  RUNNER_METRICS_PORT: { area: "runner", exit: 2, meaning: "`--metrics-port N` (`eddy run`, `eddy cluster`; with `eddy run -n P`, N to N + P - 1): the runner cannot listen on 127.0.0.1:N (the port is in use, or not allowed); nothing was run" },

  // The studio's simulations.
  SIM_BUSY: { area: "studio", exit: 1, meaning: "A simulation is already running in this worker" },
  SIM_NOT_RUNNABLE: { area: "studio", exit: 1, meaning: "A valid flow that cannot run in the studio, for no listed reason (the error takes its first problem's code)" },
  SIM_SAMPLE_MISSING: { area: "studio", exit: 1, meaning: "An input that needs Node or a broker has no sample to run in the studio" },
  SIM_SETTINGS_INVALID: { area: "studio", exit: 1, meaning: "Simulation settings out of range (a clock speed, ...)" },
  SIM_STATE_IN_USE: { area: "studio", exit: 1, meaning: "The stored state to clear is in use by the running simulation" },
  SIM_STATE_DELETE_FAILED: { area: "studio", exit: 1, meaning: "The stored state cannot be deleted from IndexedDB" },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable code of an error Eddy raises: a key of `ERROR_CODES`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `code` is in the table (a code read from an error of unknown origin, say). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** The table's entry for `code`; undefined for anything not in it (user code's own codes, Node's). */
export function errorCodeInfo(code: unknown): ErrorCodeInfo | undefined {
  return isErrorCode(code) ? ERROR_CODES[code] : undefined;
}
