/**
 * Items bound for another worker thread are checked by the frame encoder rather than before it
 * (engine/runtime/exchange.ts, `Endpoint.encodesItems`); a refusal must still be the exchange's own
 * error, word for word as for an item that stays on its worker. Every item here goes to worker 1.
 */

import { describe, expect, it } from "vitest";
import { workerForKey } from "../../engine/operators/keyed.js";
import { runThreads } from "../../node-runner/threads/runThreads.js";

const remoteKey = Array.from({ length: 100 }, (_, i) => `key${i}`).find((key) => workerForKey(key, 2) === 1)!;

async function failureOf(value: string): Promise<string> {
  const text = JSON.stringify({
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "numbers", op: "input", input: { type: "function", fn: `function* (worker) { if (worker === 0) for (let i = 0; i < 3; i++) yield [i + 1, i]; }` } },
      { id: "pairs", op: "map", after: ["numbers"], fn: `(i) => [${JSON.stringify(remoteKey)}, ${value}]` },
      { id: "count", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "(n, v) => [n + 1, n]" },
      { id: "out", op: "capture", after: ["count"], output: { type: "stdout" } },
    ],
  });
  const threads = await runThreads({ source: { path: "remote.json", text }, workerCount: 2, epoch: { type: "periodic", length: 10_000 }, writeStdout: () => {}, writeStderr: () => {} });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([threads.outcome, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 60_000)))]);
  clearTimeout(timer);
  if (outcome === undefined) {
    await threads.terminate();
    throw new Error("the run did not end within 60 s");
  }
  if (outcome.kind !== "failed") throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  expect(outcome.workerIndex).toBe(0);
  return outcome.error.message;
}

describe("an item that cannot cross to another worker", () => {
  it("a class instance: refused with the exchange's plain-data error", { timeout: 90_000 }, async () => {
    const message = await failureOf("new (class Reading { constructor(v) { this.v = v; } })(i)");
    expect(message).toMatch(/^Step "count" \(stateful_map\): items that go to a keyed step must be plain data, because worker threads copy them .*it holds an instance of class Reading, which would be copied as a plain object, without its class$/);
  });

  it("a value nested deeper than the limit: refused for its depth", { timeout: 90_000 }, async () => {
    const message = await failureOf("(() => { let v = i; for (let k = 0; k < 1500; k++) v = [v]; return v; })()");
    expect(message).toMatch(/it is nested more than 1000 levels deep/);
  });

  it("a function: refused, naming it", { timeout: 90_000 }, async () => {
    const message = await failureOf("{ f: () => i }");
    expect(message).toMatch(/must be plain data.*it holds a function at \.f$/);
  });
});
