/**
 * A stop that reaches the workers at different times (threads: each gets the signal when its
 * event loop runs) still ends every worker at the same epoch boundary: the workers agree on the
 * highest epoch any of them proposes. Two workers here run as threads do, each with its own
 * scheduler and stop signal, over one in-memory transport; worker 1 hears of the stop only
 * several epochs after worker 0 (before the agreement, worker 0 stopped at its epoch and worker 1
 * waited forever for it at a later one).
 */

import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ManualInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { PeriodicEpochConfig } from "../../engine/configs/epochs.js";
import { InMemoryTransport } from "../../engine/ports/transport.js";
import { StopSignal } from "../../engine/runtime/scheduler.js";
import { runWorker } from "../../engine/runtime/workerHost.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Waits until `condition` holds (polled), whatever the machine's speed. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

function pacedFlow(out: unknown[]): Dataflow {
  // Each worker reads a number every 2 ms, forever (until stopped), keyed so items cross workers.
  const input = new ManualInputConfig(function* (worker: number, _workers: number, resume: unknown) {
    let i = typeof resume === "number" ? resume : 0;
    let due = Date.now();
    for (;;) {
      if (Date.now() < due) {
        yield undefined;
        continue;
      }
      yield [i + 1, [`k${i % 5}`, worker * 1_000_000 + i]];
      i += 1;
      due += 2;
    }
  });
  return new Dataflow()
    .input("numbers", input)
    .statefulMap("count", () => 0, (count: number, value: number) => [count + 1, value])
    .capture(new TestingOutputConfig(out));
}

describe("a stop heard at different times by different workers", () => {
  for (const delay of [0, 60, 150]) {
    it(`ends both workers (second worker told ${delay} ms later)`, { timeout: 40_000 }, async () => {
      const out: unknown[] = [];
      const flow = pacedFlow(out);
      const transport = new InMemoryTransport(2);
      const stops = [new StopSignal(), new StopSignal()];
      const runs = [0, 1].map((workerIndex) =>
        runWorker(flow, { workerIndex, workerCount: 2, transport, epochConfig: new PeriodicEpochConfig(20), stop: stops[workerIndex] }),
      );
      // Mid-run: items already came out.
      await until(() => out.length > 0);
      stops[0]!.request();
      await sleep(delay);
      stops[1]!.request();
      const finished = await Promise.race([Promise.all(runs).then(() => "finished"), sleep(25_000).then(() => "hung")]);
      expect(finished).toBe("finished");
      expect(out.length).toBeGreaterThan(0);
    });
  }
});
