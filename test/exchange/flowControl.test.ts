/**
 * Flow control between worker threads (engine/exchange/creditWindow.ts), on real threads of the
 * runner: a fast producer and a slow consumer keep the frames in flight per channel within the
 * window (the bound is checked on the threads' own counters, not on time), and nothing is lost or
 * reordered per pair of workers; two workers that both send heavily to each other, through two
 * exchanges in a row and a window of one frame, do not deadlock.
 */

import { describe, expect, it } from "vitest";
import { runThreads, type ThreadRunOutcome } from "../../node-runner/threads/runThreads.js";

/** The longest a run may take before the test calls it a deadlock and ends it (a bound on the wait, not a timing assertion). */
const DEADLOCK_MS = 90_000;

function flowText(steps: unknown[]): string {
  return JSON.stringify({ format: "eddy.flow", version: 1, steps });
}

/** Items `[key, { from, seq }]`, 64 keys; the step checks that each key sees each sender's seq in increasing order. */
const checkOrder = (id: string, after: string) => ({
  id,
  op: "stateful_map",
  after: [after],
  builder: "() => ({})",
  fn: [
    "(last, v) => {",
    "  const previous = last[v.from] ?? -1;",
    "  if (v.seq <= previous) throw new Error(`reordered: ${v.seq} from worker ${v.from} after ${previous}`);",
    "  last[v.from] = v.seq;",
    "  return [last, v];",
    "}",
  ],
});

async function run(text: string, exchangeWindow: number): Promise<{ outcome: ThreadRunOutcome; lines: string[]; stderr: string }> {
  const lines: string[] = [];
  let stderr = "";
  const threads = await runThreads({
    source: { path: "flow-control.json", text },
    workerCount: 2,
    epoch: { type: "periodic", length: 10_000 },
    exchangeWindow,
    writeStdout: (chunk) => void lines.push(...chunk.split("\n").filter(Boolean)),
    writeStderr: (chunk) => void (stderr += chunk),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadlock = new Promise<"deadlock">((resolve) => (timer = setTimeout(() => resolve("deadlock"), DEADLOCK_MS)));
  const outcome = await Promise.race([threads.outcome, deadlock]);
  clearTimeout(timer);
  if (outcome === "deadlock") {
    await threads.terminate();
    throw new Error(`the run did not finish within ${DEADLOCK_MS} ms: a deadlock\n${stderr}`);
  }
  return { outcome, lines, stderr };
}

describe("flow control between worker threads", () => {
  it("keeps the frames in flight within the window with a slow consumer, losing and reordering nothing", { timeout: DEADLOCK_MS + 30_000 }, async () => {
    const items = 40_000;
    const text = flowText([
      // Only worker 0 reads, fast; worker 1's output is slow (a busy loop per item).
      { id: "numbers", op: "input", input: { type: "function", fn: `function* (worker) { if (worker !== 0) return; for (let i = 0; i < ${items}; i++) yield [i + 1, ["k" + (i % 64), { from: worker, seq: i }]]; }` } },
      checkOrder("check", "numbers"),
      { id: "seq", op: "map", after: ["check"], fn: "([key, v]) => String(v.seq)" },
      {
        id: "out",
        op: "capture",
        after: ["seq"],
        output: { type: "function", fn: "(worker) => (item) => { if (worker === 1) { let x = 0; for (let k = 0; k < 20000; k++) x += k ^ item.length; globalThis.sink = x; } console.log(item); }" },
      },
    ]);
    const window = 4;
    const { outcome, stderr } = await run(text, window);
    expect(outcome.kind, `${JSON.stringify(outcome)}\n${stderr}`).toBe("done");
    if (outcome.kind !== "done") return;
    const [producer, consumer] = outcome.exchange;
    // The bound, on the counter: never more than the window in flight on a channel.
    expect(producer!.maxFramesInFlight).toBeLessThanOrEqual(window);
    // And flow control did engage: the producer had to wait for credit, and reached the window.
    expect(producer!.creditWaits).toBeGreaterThan(0);
    expect(producer!.maxFramesInFlight).toBe(window);
    // Worker 0 sent a batch frame to worker 1 for about every input poll (1,024 items), and worker 1 read them.
    expect(producer!.framesSent).toBeGreaterThan(items / 1024);
    expect(consumer!.framesReceived).toBeGreaterThan(items / 1024);
    // Nothing lost or duplicated (the check step fails the run on a reordered pair).
    const seen = stderr.split("\n").filter((line) => /^\d+$/.test(line)).map(Number);
    expect(seen.length).toBe(items);
    expect(new Set(seen).size).toBe(items);
  });

  it("does not deadlock when both workers send heavily to each other through two exchanges, with a window of one frame", { timeout: DEADLOCK_MS + 30_000 }, async () => {
    const items = 30_000;
    const text = flowText([
      { id: "numbers", op: "input", input: { type: "function", fn: `function* (worker) { for (let i = 0; i < ${items}; i++) yield [i + 1, ["k" + (i % 97), { from: worker, seq: i }]]; }` } },
      checkOrder("first", "numbers"),
      // Re-keyed (a key's items all take the same path, so each sender's order holds): most items cross again.
      { id: "rekey", op: "map", after: ["first"], fn: "([key, v]) => ['again-' + key, v]" },
      checkOrder("second", "rekey"),
      { id: "count", op: "map", after: ["second"], fn: "([key, v]) => 1" },
      {
        id: "out",
        op: "capture",
        after: ["count"],
        output: { type: "function", fn: "(worker) => { let n = 0; let flushing = false; return () => { n += 1; if (!flushing) { flushing = true; queueMicrotask(() => { flushing = false; console.log(`count ${worker} ${n}`); }); } }; }" },
      },
    ]);
    const { outcome, stderr } = await run(text, 1);
    expect(outcome.kind, `${JSON.stringify(outcome)}\n${stderr}`).toBe("done");
    if (outcome.kind !== "done") return;
    for (const stats of outcome.exchange) {
      expect(stats.maxFramesInFlight).toBe(1);
      expect(stats.creditWaits).toBeGreaterThan(0);
    }
    const last = new Map<string, number>();
    for (const [, worker, n] of stderr.matchAll(/^count (\d) (\d+)$/gm)) last.set(worker!, Number(n));
    expect([...last.values()].reduce((a, b) => a + b, 0)).toBe(2 * items);
  });
});
