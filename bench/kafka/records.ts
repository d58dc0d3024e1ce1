/**
 * The records of the Kafka workloads K1 and K2 (bench/WORKLOADS.md): record `j` of `n` goes to
 * partition `j mod 4`, has the key `k<j mod 1000>` and a value of 98 characters (its index on 8
 * digits, then padding), so about 100 bytes. Contenders check their work with a checksum that needs
 * no data of their own: K1 sums `(key number + 1)` over every record counted, K2 counts the records
 * that reached the output topic.
 */

export const PARTITIONS = 4;
export const KEYS = 1000;
const PADDING = "x".repeat(90);

/** The input topic of `n` records; made once per broker and size, reused by every run. */
export function inputTopic(n: number): string {
  return `eddy-bench-input-${n}`;
}

/** Record `j`: its partition, key and value. */
export function record(j: number): { partition: number; key: string; value: string } {
  return { partition: j % PARTITIONS, key: `k${j % KEYS}`, value: `${String(j).padStart(8, "0")}${PADDING}` };
}

/** K1's checksum of `n` records: the sum over every record of its key's number plus one. */
export function countChecksum(n: number): number {
  const rounds = Math.floor(n / KEYS);
  const rest = n % KEYS;
  return rounds * ((KEYS * (KEYS + 1)) / 2) + (rest * (rest + 1)) / 2;
}

/** What K1's contenders add up per key: the count times the key's number plus one. */
export function keyWeight(key: string): number {
  return Number(key.slice(1)) + 1;
}
