/**
 * A durable end of input, for sinks that need it (`SinkWriter.needsDurableEnd`; the exactly-once
 * Kafka output does): each worker commits its last epoch with the mark that its partition
 * finished, the cluster's durable frontier then passes every worker's last epoch, and the sink
 * hears it through `epochDurable` before it is closed. A re-run of a finished store replays
 * nothing; a crash while workers end at different times replays nothing a finished worker made
 * visible. Outputs without the flag keep Bytewax's behaviour: a re-run replays the last epoch.
 *
 * The sink here is a transactional one behind our own Sink port, modelled on the Kafka output:
 * each epoch's items go into a transaction of their own (a token unique to the run, worker and
 * epoch), made visible ("committed" to a shared log) only at `epochDurable`; the closed, uncommitted
 * transactions are its snapshot, and a resume commits them (committing a token twice is a no-op,
 * but a replayed epoch is a new transaction: a duplicate, as in Kafka).
 */

import { describe, expect, it } from "vitest";
import { PeriodicEpochConfig, TestingEpochConfig } from "../../engine/configs/epochs.js";
import { ManualInputConfig } from "../../engine/configs/inputs.js";
import { KafkaOutputConfig, TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { OutputContext, SinkWriter } from "../../engine/host/index.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute, type StartInfo } from "../../engine/runtime/execute.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

/** What a read_committed consumer would see, and the sinks' calls in order. */
class Log {
  readonly visible: string[] = [];
  readonly events: string[] = [];
  private readonly committed = new Set<string>();
  private run = 0;

  nextRun(): number {
    return ++this.run;
  }

  commit(token: string, items: readonly string[]): void {
    if (this.committed.has(token)) return;
    this.committed.add(token);
    this.visible.push(...items);
  }
}

interface Transaction {
  readonly epoch: number;
  readonly token: string;
  readonly items: string[];
}

function transactionalSink(log: Log, run: number, ctx: OutputContext): SinkWriter {
  const w = ctx.workerIndex;
  const open = new Map<number, Transaction>();
  let pending: Transaction[] = [];
  const commitUpTo = (epoch: number) => {
    for (const t of pending.filter((p) => p.epoch <= epoch)) log.commit(t.token, t.items);
    pending = pending.filter((p) => p.epoch > epoch);
  };
  return {
    needsDurableEnd: true,
    write(epoch, items) {
      let t = open.get(epoch);
      if (!t) open.set(epoch, (t = { epoch, token: `run${run}-w${w}-e${epoch}`, items: [] }));
      t.items.push(...(items as string[]));
    },
    closeEpoch(epoch) {
      log.events.push(`w${w} close ${epoch}`);
      const t = open.get(epoch);
      open.delete(epoch);
      if (t) pending.push(t);
      if (!ctx.recording) commitUpTo(epoch);
    },
    snapshot: () => pending.map((t) => ({ ...t, items: [...t.items] })),
    restore(state) {
      // Every saved transaction is of an epoch below the resume epoch: no resume replays it.
      for (const t of state as Transaction[]) log.commit(t.token, t.items);
    },
    epochDurable(epoch) {
      log.events.push(`w${w} durable ${epoch}`);
      commitUpTo(epoch);
    },
    finish: () => void log.events.push(`w${w} finish`),
    close: () => void log.events.push(`w${w} close`),
  };
}

/** Worker w reads `plans[w]` (its state: the next index), throwing on an item "boom" while `armed.on`. */
function input(plans: readonly (readonly string[])[]): ManualInputConfig {
  return new ManualInputConfig(function* (worker, _count, resume) {
    const plan = plans[worker]!;
    for (let i = typeof resume === "number" ? resume : 0; i < plan.length; i++) yield [i + 1, plan[i]!];
  });
}

function flowOf(plans: readonly (readonly string[])[], armed: { on: boolean }, output = new KafkaOutputConfig(["127.0.0.1:9"], "t", { exactlyOnce: true })) {
  return new Dataflow()
    .input("in", input(plans))
    .map((item: string) => {
      if (item.startsWith("boom") && armed.on) throw new Error(`armed: ${item}`);
      return item;
    })
    .capture(output);
}

/** Runs the flow with the transactional sink in place of Kafka; returns where it started. */
async function run(flow: Dataflow, log: Log, store: MemoryRecoveryConfig, workerCount: number, epochConfig: TestingEpochConfig | PeriodicEpochConfig = new TestingEpochConfig()): Promise<StartInfo> {
  const sinkRun = log.nextRun();
  const host = testHost({ outputs: { kafka: (_config: KafkaOutputConfig, ctx: OutputContext) => transactionalSink(log, sinkRun, ctx) }, clock: new VirtualClock(0) });
  let started: StartInfo | undefined;
  await execute(flow, { workerCount, errors: "original", recoveryConfig: store, epochConfig, host, onStart: (info) => (started = info) });
  return started!;
}

const finishedMarks = (store: MemoryRecoveryConfig) => [...store.storage.partitions.entries()].sort(([a], [b]) => a - b).map(([, p]) => [p.frontier, p.meta?.finished === true]);

describe("a sink that needs a durable end of input", () => {
  it("hears its last epoch is durable once every worker saved it, before it is closed; each worker's partition is marked finished", async () => {
    const log = new Log();
    const store = new MemoryRecoveryConfig();
    // Worker 0's input ends at epoch 2, worker 1's at epoch 6 (testing epochs: one item each).
    const plans = [["a0", "a1"], ["b0", "b1", "b2", "b3", "b4", "b5"]];
    await run(flowOf(plans, { on: false }), log, store, 2);
    expect([...log.visible].sort()).toEqual(plans.flat().sort());
    expect(finishedMarks(store)).toEqual([[3, true], [7, true]]);
    const at = (event: string) => {
      const index = log.events.indexOf(event);
      expect(index, `${event} in ${JSON.stringify(log.events)}`).toBeGreaterThanOrEqual(0);
      return index;
    };
    // Worker 0's last epoch (2) is durable once worker 1 saved epoch 2 too (never before), and
    // before worker 0 closes; worker 0, finished, never holds worker 1's epochs back.
    expect(at("w0 durable 2")).toBeGreaterThan(at("w1 close 2"));
    expect(at("w0 durable 2")).toBeLessThan(at("w1 finish"));
    expect(at("w0 durable 2")).toBeLessThan(at("w0 close"));
    expect(at("w1 durable 5")).toBeLessThan(at("w1 finish"));
    // Worker 1's last epoch (6) is durable once its end is saved, before it closes.
    expect(at("w1 durable 6")).toBeGreaterThan(at("w1 finish"));
    expect(at("w1 durable 6")).toBeLessThan(at("w1 close"));
  });

  it("re-running a finished store replays nothing: it resumes after the end, and inputs resume at their ends", async () => {
    const log = new Log();
    const store = new MemoryRecoveryConfig();
    const plans = [["a0", "a1", "a2"], ["b0"]];
    // Long periodic epochs: every item is in epoch 0, the last epoch, which Bytewax would replay.
    const epochs = new PeriodicEpochConfig(10_000);
    await run(flowOf(plans, { on: false }), log, store, 2, epochs);
    expect([...log.visible].sort()).toEqual(plans.flat().sort());
    const again = await run(flowOf(plans, { on: false }), log, store, 2, epochs);
    expect(again).toEqual({ startEpoch: 1, resumed: true });
    expect([...log.visible].sort()).toEqual(plans.flat().sort());
    expect(log.events.filter((event) => event.startsWith("w0 close ")).length).toBe(2);
    // And once more: the finished store stays finished, one epoch further.
    expect(await run(flowOf(plans, { on: false }), log, store, 2, epochs)).toEqual({ startEpoch: 2, resumed: true });
    expect(log.visible.length).toBe(4);
  });

  it("without it (every other output), a re-run of a finished store replays the last epoch, as in Bytewax", async () => {
    const store = new MemoryRecoveryConfig();
    const plans = [["a0", "a1", "a2"], ["b0"]];
    const epochs = new PeriodicEpochConfig(10_000);
    const runPlain = async (out: unknown[]) => {
      let started: StartInfo | undefined;
      await execute(flowOf(plans, { on: false }, new TestingEpochOutputConfig(out) as unknown as KafkaOutputConfig), {
        workerCount: 2, errors: "original", recoveryConfig: store, epochConfig: epochs, host: testHost({ clock: new VirtualClock(0) }), onStart: (info) => (started = info),
      });
      return started!;
    };
    const first: unknown[] = [];
    await runPlain(first);
    const second: unknown[] = [];
    expect(await runPlain(second)).toEqual({ startEpoch: 0, resumed: false });
    expect(second.map(String).sort()).toEqual(first.map(String).sort());
    expect(finishedMarks(store)).toEqual([[0, false], [0, false]]);
  });

  it.each([
    ["long after worker 0 finished", 5, 5],
    ["right as worker 0 finished (its last epoch is rolled back with the others)", 2, 2],
  ])("a crash %s: the resume replays nothing worker 0 made visible, every item exactly once", async (_when, boomAt, resumeAt) => {
    const log = new Log();
    const store = new MemoryRecoveryConfig();
    const b = Array.from({ length: 8 }, (_, i) => (i === boomAt ? `boom${i}` : `b${i}`));
    const plans = [["a0", "a1"], b];
    const armed = { on: true };
    const error = (await rejectionOf(run(flowOf(plans, armed), log, store, 2))) as Error;
    expect(error.message).toBe(`armed: boom${boomAt}`);
    // Worker 0 ended at epoch 2 and saved it (frontier 3, finished); worker 1 saved epochs below `boomAt`.
    expect(finishedMarks(store)).toEqual([[3, true], [boomAt, false]]);
    armed.on = false;
    expect(await run(flowOf(plans, armed), log, store, 2)).toEqual({ startEpoch: resumeAt, resumed: true });
    expect([...log.visible].sort()).toEqual(plans.flat().sort());
    // Worker 0 ended again at the resume epoch (at its end already) or at epoch 2 (rolled back); worker 1 at epoch 8.
    expect(finishedMarks(store)).toEqual([[resumeAt === 2 ? 3 : resumeAt + 1, true], [9, true]]);
  });
});
