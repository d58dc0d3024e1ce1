/**
 * Frames in flight (`Endpoint.framesInFlight`, the runner's gauge eddy_exchange_frames_in_flight)
 * between worker threads: the count is the credit window's, frames posted to another worker and not
 * yet credited back by it. First on two PortTransports joined by a MessageChannel in this thread,
 * where every step waits for an arrival (never for time): frames beyond the window wait and are not
 * counted, credit brings the count down. Then on real threads, through the metrics the threads send
 * to the main thread: while the receiving worker is blocked in a call, the sender's count is the
 * whole window, and stays there.
 */

import { MessageChannel } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { Endpoint, Message, WorkerMetrics } from "../../engine/host/index.js";
import { workerForKey } from "../../engine/operators/keyed.js";
import { PortTransport } from "../../node-runner/threads/portTransport.js";
import { runThreads } from "../../node-runner/threads/runThreads.js";

const batch = (n: number): Message => ({ kind: "data", node: 0, port: 0, epoch: 0, items: [["k", n]] });

/** Counts a transport's wake-ups; `until(n)` resolves once there have been n of them. */
function arrivals(transport: PortTransport): { until(count: number): Promise<void> } {
  let seen = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  transport.onArrival(() => {
    seen += 1;
    for (const waiter of waiting.filter((w) => w.count <= seen)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    until: (count) => (count <= seen ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }))),
  };
}

const open: PortTransport[] = [];
afterEach(() => {
  for (const transport of open.splice(0)) transport.close();
});

/** Workers 0 and 1, each with its own PortTransport, joined by one MessageChannel. */
function pair(window: number): { endpoints: [Endpoint, Endpoint]; transports: [PortTransport, PortTransport] } {
  const channel = new MessageChannel();
  const zero = new PortTransport(0, 2, [undefined, channel.port1], window);
  const one = new PortTransport(1, 2, [channel.port2, undefined], window);
  open.push(zero, one);
  return { endpoints: [zero.endpoint(0), one.endpoint(1)], transports: [zero, one] };
}

describe("frames in flight between worker threads", () => {
  it("counts the frames sent and not yet credited back, not those waiting for credit, and falls as credit returns", async () => {
    const { endpoints, transports } = pair(4);
    const [zero, one] = endpoints;
    const atZero = arrivals(transports[0]);
    const atOne = arrivals(transports[1]);
    expect(zero.framesInFlight?.()).toBe(0);

    for (let n = 0; n < 6; n++) zero.send(1, batch(n));
    // Four went out (the window), two wait for credit.
    expect(zero.framesInFlight?.()).toBe(4);
    expect(zero.isCongested?.()).toBe(true);
    // A message to itself is no frame.
    zero.send(0, batch(99));
    expect(zero.framesInFlight?.()).toBe(4);

    // Worker 1 takes the four that arrived: one credit frame goes back, the two waiting frames leave,
    // and worker 0 is woken when its window is no longer congested.
    await atOne.until(4);
    expect(one.receive().map((message) => (message as { items: [string, number][] }).items[0]![1])).toEqual([0, 1, 2, 3]);
    await atZero.until(2); // its own message, then the end of congestion
    expect(zero.isCongested?.()).toBe(false);
    expect(zero.framesInFlight?.()).toBe(2);

    // Worker 1 takes the last two and then sends a frame of its own on the same channel: it arrives
    // after the credit, so once it has arrived the credit has been counted.
    await atOne.until(6);
    expect(one.receive()).toHaveLength(2);
    one.send(0, batch(100));
    expect(one.framesInFlight?.()).toBe(1);
    await atZero.until(3);
    expect(zero.framesInFlight?.()).toBe(0);
    expect(transports[0].stats()).toMatchObject({ framesSent: 6, framesInFlight: 0, framesQueued: 0, maxFramesInFlight: 4, creditWaits: 2 });
  });

  it("reaches the whole window in the threads' metrics while the receiving worker is blocked in a call", { timeout: 120_000 }, async () => {
    const window = 4;
    const remoteKey = Array.from({ length: 100 }, (_, i) => `key${i}`).find((key) => workerForKey(key, 2) === 1)!;
    const text = JSON.stringify({
      format: "eddy.flow",
      version: 1,
      steps: [
        // Worker 0 reads far more than a window of frames' worth, every item for worker 1.
        { id: "numbers", op: "input", input: { type: "function", fn: `function* (worker) { if (worker !== 0) return; for (let i = 0; i < 1000000; i++) yield [i + 1, [${JSON.stringify(remoteKey)}, i]]; }` } },
        // Worker 1 blocks for good in its first call (until the test ends the threads).
        { id: "hold", op: "stateful_map", after: ["numbers"], builder: "() => 0", fn: "(n, v) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return [n, v]; }" },
        { id: "out", op: "capture", after: ["hold"], output: { type: "stdout" } },
      ],
    });
    // Worker 0's snapshots, and waits on them: every step waits for a snapshot, never for time.
    const seen: WorkerMetrics[] = [];
    const waiting: { holds: () => boolean; resolve: () => void }[] = [];
    const until = (holds: () => boolean) => (holds() ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ holds, resolve })));
    const threads = await runThreads({
      source: { path: "frames-in-flight.json", text },
      workerCount: 2,
      epoch: { type: "periodic", length: 10_000 },
      exchangeWindow: window,
      metrics: {
        intervalMs: 20,
        receive: (metrics) => {
          if (metrics.workerIndex !== 0) return;
          seen.push(metrics);
          for (const waiter of waiting.filter((w) => w.holds())) {
            waiting.splice(waiting.indexOf(waiter), 1);
            waiter.resolve();
          }
        },
      },
      writeStdout: () => {},
      writeStderr: () => {},
    });
    // A bound on the waits, not a timing assertion: each state is reached however long it takes.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("the bound of 90 s passed"), 90_000)));
    const ended = threads.outcome.then((outcome) => `the run ended: ${JSON.stringify(outcome)}`);
    const wait = (holds: () => boolean) => Promise.race([until(holds).then(() => "reached"), ended, bound]);
    try {
      const full = () => seen.findIndex((metrics) => metrics.framesInFlight === window);
      expect(await wait(() => full() >= 0), `worker 0's snapshots: ${JSON.stringify(seen.slice(-3))}`).toBe("reached");
      // Worker 1 takes nothing more, so the window stays full in every later snapshot.
      const at = full();
      expect(await wait(() => seen.length >= at + 4)).toBe("reached");
      expect(seen.slice(at).map((metrics) => metrics.framesInFlight)).toEqual(seen.slice(at).map(() => window));
    } finally {
      clearTimeout(timer);
      expect(await threads.terminate()).toBe(true);
    }
  });
});
