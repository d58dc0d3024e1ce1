/**
 * The flow files of the Kafka workloads as a user writes them:
 * - K1: count by key, `[key, 1]` into a `reduce_window` over one long window, the counts weighted
 *   as records.ts says and printed one per line (1,000 lines);
 * - K2: each value upper-cased and written to the output topic (at least once, or exactly once).
 */

export function countFlow(brokers: readonly string[], topic: string): string {
  return JSON.stringify({
    format: "eddy.flow",
    version: 1,
    name: "bench-k1",
    steps: [
      { id: "in", op: "input", input: { type: "kafka", brokers, topic, tail: false, decode: "utf8" } },
      { id: "ones", op: "map", after: ["in"], fn: "([key]) => [key, 1]" },
      { id: "count", op: "reduce_window", after: ["ones"], clock: { type: "system" }, window: { type: "tumbling", length: 3_600_000 }, fn: "(a, b) => a + b" },
      { id: "weigh", op: "map", after: ["count"], fn: "([key, n]) => n * (Number(key.slice(1)) + 1)" },
      { id: "out", op: "capture", after: ["weigh"], output: { type: "stdout" } },
    ],
  });
}

export function pipeFlow(brokers: readonly string[], from: string, to: string, exactlyOnce: boolean): string {
  return JSON.stringify({
    format: "eddy.flow",
    version: 1,
    name: "bench-k2",
    steps: [
      { id: "in", op: "input", input: { type: "kafka", brokers, topic: from, tail: false, decode: "utf8" } },
      { id: "upper", op: "map", after: ["in"], fn: "([key, value]) => [key, value.toUpperCase()]" },
      { id: "out", op: "capture", after: ["upper"], output: { type: "kafka", brokers, topic: to, exactlyOnce } },
    ],
  });
}
