/**
 * The RecoveryStore port. A store holds one partition per worker; each partition keeps its meta
 * (format version, worker count, step ids), the worker's durable frontier, and state records keyed
 * by (step id, key, epoch). Stores move bytes; decisions live in `protocol.ts`.
 *
 * Guarantees every store must give (the conformance suite checks them):
 * - `commit` is atomic: after a crash either all of a batch is visible or none of it.
 * - what a resolved `commit` wrote is read back by a later `load`, in this or another process.
 * - `load` returns records in any order; it never guesses: unreadable data is an error.
 */

/** One state record: `value` is the encoded state, or null for "the key was forgotten" (reset). */
export interface StateRecord {
  readonly stepId: string;
  readonly key: string;
  readonly epoch: number;
  readonly value: Uint8Array | null;
}

export interface RecordId {
  readonly stepId: string;
  readonly key: string;
  readonly epoch: number;
}

export interface PartitionMeta {
  readonly formatVersion: number;
  readonly workerCount: number;
  readonly workerIndex: number;
  /** The flow's input and stateful step ids when the partition was last written. */
  readonly stepIds: readonly string[];
  /**
   * What shapes each keyed step's state (kind, clock, window), by step id: a resume with another
   * shape is refused. Absent in stores written before it existed (format 1 all the same): unknown.
   */
  readonly shapes?: Readonly<Record<string, StepShape>>;
  /**
   * The run that wrote this partition last reached the end of its input on this worker: its last
   * (partial) epoch is saved and `frontier` is one past it. Written, with that epoch, only for
   * flows whose outputs need a durable end (`SinkWriter.needsDurableEnd`); every run rewrites the
   * meta when it starts, which clears it. Absent in stores written before it existed: not finished.
   */
  readonly finished?: boolean;
}

/** The settings that shape a step's state, as flat printable values ("op", "window length", ...). */
export type StepShape = Readonly<Record<string, string | number | null>>;

export interface PartitionContents {
  readonly meta: PartitionMeta;
  readonly frontier: number;
  readonly records: readonly StateRecord[];
}

export interface PartitionBatch {
  readonly meta?: PartitionMeta;
  readonly records?: readonly StateRecord[];
  readonly deletes?: readonly RecordId[];
  readonly frontier?: number;
}

export interface RecoveryPartition {
  load(): Promise<PartitionContents | undefined>;
  /** Applies the whole batch atomically. */
  commit(batch: PartitionBatch): Promise<void>;
  close(): Promise<void>;
}

export interface RecoveryStore {
  /** Where the store is, for error messages ("file ./state", "IndexedDB database \"x\""). */
  readonly description: string;
  /** The worker indexes that have a partition. */
  partitions(): Promise<number[]>;
  /** Opens (creating if needed) the partition of `workerIndex`. */
  open(workerIndex: number): Promise<RecoveryPartition>;
  /** How to name one partition in an error message. */
  describePartition(workerIndex: number): string;
  /** Takes the store for one run, or throws RECOVERY_LOCKED naming the owner; never waits. */
  lock(): Promise<StoreLease>;
}

/** A store's ownership for one run: taken before anything is read, released when the run ends. */
export interface StoreLease {
  release(): Promise<void>;
}
