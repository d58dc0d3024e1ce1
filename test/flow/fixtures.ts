/** Flow definitions shared by the flow tests. */

import type { FlowDefinition } from "../../engine/flow/schema.js";

/** A small valid flow: list input, flat_map, map, reduce, stdout capture. Fresh on every call. */
export function wordCountFlow(): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    name: "wordcount",
    steps: [
      { id: "lines", op: "input", input: { type: "list", items: ["to be or not to be"] } },
      { id: "words", op: "flat_map", after: ["lines"], fn: "line => line.split(' ')" },
      { id: "pairs", op: "map", after: ["words"], fn: "word => [word, 1]" },
      { id: "count", op: "reduce", after: ["pairs"], fn: "(a, b) => a + b", isComplete: "() => false" },
      { id: "out", op: "capture", after: ["count"], output: { type: "stdout" } },
    ],
  };
}

/** The example of DESIGN section 7, as its JSON text. */
export const DESIGN_EXAMPLE = String.raw`{
  "format": "eddy.flow",
  "version": 1,
  "name": "wordcount",
  "steps": [
    { "id": "lines", "op": "input",
      "input": { "type": "kafka", "brokers": [{ "$env": "KAFKA_BROKERS" }], "topic": "lines", "tail": false },
      "sample": { "type": "list", "items": ["to be or not to be"] } },
    { "id": "words", "op": "flat_map", "after": ["lines"], "fn": "line => line.toLowerCase().split(/\\W+/).filter(Boolean)" },
    { "id": "pairs", "op": "map", "after": ["words"], "fn": "word => [word, 1]" },
    { "id": "count", "op": "reduce_window", "after": ["pairs"],
      "clock": { "type": "system" }, "window": { "type": "tumbling", "length": 5000 }, "fn": "(a, b) => a + b" },
    { "id": "out", "op": "capture", "after": ["count"], "output": { "type": "stdout" } }
  ],
  "execution": { "epoch": { "type": "periodic", "length": 10000 }, "recovery": { "type": "file", "dir": "./state" } },
  "ui": { "positions": { "lines": { "x": 0, "y": 0 } } }
}
`;

/** Every building block of the format in one valid flow. */
export function everyBlockFlow(): FlowDefinition {
  return {
    $schema: "../schema/eddy-flow.schema.json",
    format: "eddy.flow",
    version: 1,
    name: "every block",
    description: "Each kind of step and block once.",
    steps: [
      { id: "list", op: "input", input: { type: "list", items: [1, "two", { three: 3 }, [4], null] }, label: "List", notes: "Some items" },
      { id: "file", op: "input", input: { type: "file", path: { $env: "IN_PATH" } } },
      { id: "fn-in", op: "input", input: { type: "function", fn: ["function* (workerIndex, workerCount, resumeState) {", "  yield [1, 'x'];", "}"] } },
      {
        id: "kafka",
        op: "input",
        input: { type: "kafka", brokers: ["localhost:9092", { $env: "MORE_BROKERS" }], topic: { $env: "TOPIC" }, tail: false, startingOffset: "end", additionalProperties: { "security.protocol": "SSL", "sasl.password": { $env: "PASSWORD" } } },
        sample: { type: "list", items: ["a", "b"] },
      },
      { id: "m", op: "map", after: ["list", "file", "fn-in", "kafka"], fn: "x => String(x)" },
      { id: "fm", op: "flat_map", after: ["m"], fn: "x => [x, x]" },
      { id: "f", op: "filter", after: ["fm"], fn: "x => x.length > 0" },
      { id: "i", op: "inspect", after: ["f"], fn: "x => {}" },
      { id: "ie", op: "inspect_epoch", after: ["i"], fn: "(epoch, x) => {}" },
      { id: "keyed", op: "map", after: ["ie"], fn: "x => [x, 1]" },
      { id: "r", op: "reduce", after: ["keyed"], fn: "(a, b) => a + b", isComplete: "a => a > 2" },
      { id: "sm", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(s, v) => [s + v, s + v]" },
      { id: "rw", op: "reduce_window", after: ["keyed"], clock: { type: "testing", itemIncr: 1000, startAt: "2024-01-01T00:00:00Z" }, window: { type: "tumbling", length: 5000, startAt: 1704067200000 }, fn: "(a, b) => a + b" },
      { id: "fw", op: "fold_window", after: ["keyed"], clock: { type: "event", fn: "v => v.at", waitForSystemDuration: 0 }, window: { type: "tumbling", length: 60000 }, builder: "() => []", fn: "(acc, v) => [...acc, v]" },
      { id: "sys", op: "reduce_window", after: ["keyed"], clock: { type: "system" }, window: { type: "tumbling", length: 1 }, fn: "(a, b) => a + b" },
      { id: "out-std", op: "capture", after: ["r", "sm"], output: { type: "stdout" } },
      { id: "out-file", op: "capture", after: ["rw"], output: { type: "file", path: "out.jsonl" } },
      { id: "out-fn", op: "capture", after: ["fw"], output: { type: "function", fn: "(workerIndex, workerCount) => item => {}" } },
      { id: "out-kafka", op: "capture", after: ["sys"], output: { type: "kafka", brokers: [{ $env: "KAFKA_BROKERS" }], topic: "out", additionalProperties: { acks: "all" } } },
    ],
    execution: { epoch: { type: "testing" }, recovery: { type: "kafka", brokers: ["b:9092"], topicPrefix: "eddy-" }, workers: 2 },
    ui: { positions: { list: { x: 0, y: 0, width: 120 } }, zoom: 1.5, theme: "dark" },
  };
}
