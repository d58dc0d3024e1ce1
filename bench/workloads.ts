/**
 * The benchmark workloads of bench/WORKLOADS.md (the contract every contender implements): item
 * `i` is computed from `mix(i)`, so JavaScript and Python contenders see identical data without
 * sharing a file. This module holds what every JavaScript contender shares: `mix`, the names and
 * the sizes.
 */

/** The items are computed from their index with this 32-bit mix (see WORKLOADS.md). */
export function mix(i: number): number {
  const h = Math.imul(i, 2654435761) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The source of `mix` for flow files, whose functions cannot import anything. */
export const MIX_SOURCE = "const mix = (i) => { const h = Math.imul(i, 2654435761) >>> 0; return (h ^ (h >>> 16)) >>> 0; };";

/** The workloads a contender runs on its own (R and S are built from W2 and W3). */
export const WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "J"] as const;
export type Workload = (typeof WORKLOADS)[number];

export const WORKLOAD_TITLES: Readonly<Record<string, string>> = {
  W1: "W1 stateless chain (map, filter, map)",
  W2: "W2 keyed running sum (statefulMap, 10,000 keys)",
  W3: "W3 tumbling-window count by key (event time, 1,000 keys)",
  W4: "W4 W3 over JSON (parse, window count, serialize)",
  W5: "W5 session-window count by key (event time, 10,000 keys, sessions of about 10 items)",
  J: "J running join of two keyed inputs (last value per side, 10,000 keys)",
  R: "R W2 with FileRecoveryConfig (LMDB, 1 s epochs)",
  S: "S W3 on the runner with 1, 2, 4 worker threads",
  K1: "K1 Kafka → count by key (4 partitions, records of about 100 bytes, 1,000 keys)",
  K2: "K2 Kafka → map → Kafka (the value upper-cased, to a 4-partition topic)",
};

export function isWorkload(name: string): name is Workload {
  return (WORKLOADS as readonly string[]).includes(name);
}

/** The keys of workload J; a key's left and right items are JOIN_KEYS / 2 items apart on each side. */
export const JOIN_KEYS = 10_000;

/** Workload J's item `j` of each side (WORKLOADS.md): `[key, value]`. */
export function joinLeft(j: number): [string, number] {
  return ["k" + (j % JOIN_KEYS), mix(j) % 100];
}
export function joinRight(j: number): [string, number] {
  return ["k" + ((j + JOIN_KEYS / 2) % JOIN_KEYS), (mix(j) >>> 8) % 100];
}

/** What a row `[left, right]` of workload J adds to the checksum (a missing side is 0). */
export function joinContribution(left: number | null, right: number | null): number {
  return (left === null ? 0 : left + 1) * 101 + (right === null ? 0 : right + 1);
}

/** How the runner's process reports its peak RSS on standard error (bench/rssHook.ts). */
export const MAXRSS_TAG = "eddy-bench-maxrss";

/** How the runner's flows report the running checksum of a worker on standard error (bench/flows.ts). */
export const SUM_TAG = "eddy-bench-sum";

/**
 * W5's session gap: a key's items are on average 10,000 ms apart (10,000 keys, one item per ms), and
 * a gap of 23,000 ms is exceeded with probability e^(-2.3), about 1 in 10: sessions of about 10 items.
 */
export const W5_GAP_MS = 23_000;

/**
 * W5's event clock waits this long: Eddy's event clock (Bytewax 0.12's) adds the system time
 * elapsed since a key's latest item to its watermark, and with session windows an item behind the
 * watermark is late, so with no wait a key's next item 1 ms later in event time would be late after
 * a pause of over 1 ms (a batch boundary, a GC). Items arrive in time order, so the wait changes
 * no result: sessions only close later.
 */
export const W5_WAIT_MS = 10_000;

/** Default sizes: the full run and `--quick`. */
export const DEFAULT_ITEMS = 10_000_000;
export const QUICK_ITEMS = 20_000;
export const DEFAULT_BYTEWAX_ITEMS = 1_000_000;
export const DEFAULT_KAFKA_RECORDS = 1_000_000;
