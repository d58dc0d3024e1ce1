/**
 * The simulator's run: per-step counts and latest items, output lines formatted as the runner
 * writes them, errors that name the step, worker and item, flows that cannot run, pause and stop.
 */

import { describe, expect, it } from "vitest";
import { validateFlow } from "../../../engine/flow/validateFlow.js";
import { Simulator } from "../../../studio/sim/simulator.js";
import { flowOf, simulate, sleep, start, until } from "./helpers.js";

const input = (items: unknown[], extra: Record<string, unknown> = {}) => ({ id: "in", op: "input", input: { type: "list", items }, ...extra });

describe("live stats", () => {
  const flow = flowOf([
    input(["a b", "c", "d e f"]),
    { id: "upper", op: "map", after: ["in"], fn: "s => s.toUpperCase()" },
    { id: "words", op: "flat_map", after: ["upper"], fn: "s => s.split(' ')" },
    { id: "notC", op: "filter", after: ["words"], fn: "w => w !== 'C'" },
    { id: "out", op: "capture", after: ["notC"], output: { type: "stdout" } },
  ]);

  it("count what every step emitted, on any number of workers", async () => {
    for (const workers of [1, 3]) {
      const run = await simulate(flow, { workers });
      expect(run.status).toBe("done");
      const counts = Object.fromEntries(Object.entries(run.last.steps).map(([id, live]) => [id, live.count]));
      expect(counts).toEqual({ in: 3, upper: 3, words: 6, notC: 5, out: 5 });
      expect(run.output.map((line) => line.line).sort()).toEqual(["A", "B", "D", "E", "F"]);
    }
  });

  it("keep the latest previewLimit items, oldest first, with epoch and worker", async () => {
    const run = await simulate(flow, { previewLimit: 2 });
    expect(run.last.steps["words"]!.latest).toEqual([
      { epoch: 0, worker: 0, text: '"E"' },
      { epoch: 0, worker: 0, text: '"F"' },
    ]);
    expect(run.last.steps["in"]!.latest.map((item) => item.text)).toEqual(['"c"', '"d e f"']);
  });

  it("ring buffers wrap across batches, and say which worker emitted an item", async () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const run = await simulate(flowOf([input(items), { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }]), {
      workers: 2,
      previewLimit: 3,
      clock: { kind: "virtual", speed: Infinity },
    });
    const latest = run.last.steps["in"]!.latest;
    expect(latest).toHaveLength(3);
    for (const item of latest) expect(item.worker).toBe(Number(item.text) % 2);
    expect(run.last.steps["in"]!.count).toBe(10);
  });

  it("report the latest epoch and the virtual time", async () => {
    const run = await simulate(flowOf([input([1, 2, 3]), { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }], { epoch: { type: "testing" } }));
    expect(run.last.epoch).toBe(2);
    expect(run.output.map((line) => line.epoch)).toEqual([0, 1, 2]);
    expect(typeof run.last.virtualTime).toBe("number");
    expect(run.last.resumedFrom).toBeUndefined();
  });
});

describe("output lines", () => {
  const items = ["text", { a: 1 }, [1, "x"], 2];
  const capture = (output: Record<string, unknown>) => flowOf([input(items), { id: "out", op: "capture", after: ["in"], output }]);

  it("are what the runner writes: stdout writes strings as they are, other values as JSON", async () => {
    const run = await simulate(capture({ type: "stdout" }));
    expect(run.output).toEqual([
      { stepId: "out", worker: 0, epoch: 0, line: "text" },
      { stepId: "out", worker: 0, epoch: 0, line: '{"a":1}' },
      { stepId: "out", worker: 0, epoch: 0, line: '[1,"x"]' },
      { stepId: "out", worker: 0, epoch: 0, line: "2" },
    ]);
  });

  it("a file output writes JSON lines, strings too; function and Kafka outputs are shown as JSON, never called", async () => {
    const expected = ['"text"', '{"a":1}', '[1,"x"]', "2"];
    expect((await simulate(capture({ type: "file", path: { $env: "OUT" } }))).output.map((line) => line.line)).toEqual(expected);
    const fn = "() => () => { throw new Error('the real output was called'); }";
    expect((await simulate(capture({ type: "function", fn }))).output.map((line) => line.line)).toEqual(expected);
    const kafka = await simulate(capture({ type: "kafka", brokers: ["b:9092"], topic: "t" }));
    expect(kafka.status).toBe("done");
    expect(kafka.output.map((line) => line.line)).toEqual(expected);
  });

  it("beyond outputLimit are only counted", async () => {
    const run = await simulate(capture({ type: "stdout" }), { outputLimit: 3 });
    expect(run.output).toHaveLength(3);
    expect(run.last.outputDropped).toBe(1);
  });

  it("a value standard output cannot write fails the run as in the runner", async () => {
    const flow = flowOf([input([1]), { id: "bad", op: "map", after: ["in"], fn: "x => undefined" }, { id: "out", op: "capture", after: ["bad"], output: { type: "stdout" } }]);
    const run = await simulate(flow);
    expect(run.status).toBe("failed");
    expect(run.last.error).toMatchObject({ stepId: "out", worker: 0, item: "undefined", code: "OUTPUT_NOT_STRINGABLE" });
  });
});

describe("errors", () => {
  it("a throwing function fails the run with the step, the worker and the item", async () => {
    const flow = flowOf([
      input(["a", "b", "c"]),
      { id: "parse", op: "map", after: ["in"], fn: "x => { if (x === 'b') throw new RangeError('not a number: ' + x); return x; }" },
      { id: "out", op: "capture", after: ["parse"], output: { type: "stdout" } },
    ]);
    const run = await simulate(flow, { workers: 2 });
    expect(run.status).toBe("failed");
    expect(run.last.status).toBe("failed");
    // Where in the function, as the runner prints it: the `new` of `throw new RangeError`.
    const column = "x => { if (x === 'b') throw new RangeError".indexOf("new") + 1;
    expect(run.last.error).toEqual({ stepId: "parse", op: "map", worker: 1, item: '"b"', message: "RangeError: not a number: b", location: `at line 1, column ${column} of the function \`fn\` of step "parse"` });
  });

  it("a thrown value that is not an Error (throw 42) names the step, the worker and the item too", async () => {
    const flow = flowOf([
      input(["a", "b", "c"]),
      { id: "parse", op: "map", after: ["in"], fn: "x => { if (x === 'b') throw 42; return x; }" },
      { id: "out", op: "capture", after: ["parse"], output: { type: "stdout" } },
    ]);
    const run = await simulate(flow, { workers: 2 });
    expect(run.status).toBe("failed");
    expect(run.last.error).toEqual({ stepId: "parse", op: "map", worker: 1, item: '"b"', message: "thrown value 42" });
  });

  it("a class instance going to a keyed step is refused as in the runner, on one worker too", async () => {
    const flow = flowOf([
      input(["a", "b"]),
      { id: "pairs", op: "map", after: ["in"], fn: "w => [w, new (class Reading { constructor(v) { this.v = v; } })(w)]" },
      { id: "count", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "(n, v) => [n + 1, v]" },
      { id: "out", op: "capture", after: ["count"], output: { type: "stdout" } },
    ]);
    for (const workers of [1, 2]) {
      const run = await simulate(flow, { workers });
      expect(run.status).toBe("failed");
      expect(run.last.error).toMatchObject({ stepId: "count", code: "EXCHANGE_NOT_PLAIN" });
      expect(run.last.error!.message).toMatch(/it holds an instance of class Reading/);
    }
  });

  it("an input that needs a file or a broker and has no sample cannot run: every such step is named", async () => {
    const flow = flowOf([
      { id: "lines", op: "input", input: { type: "file", path: "data.txt" } },
      { id: "events", op: "input", input: { type: "kafka", brokers: ["b:9092"], topic: "t" } },
      { id: "sampled", op: "input", input: { type: "file", path: "x" }, sample: { type: "list", items: [1] } },
      { id: "out", op: "capture", after: ["lines", "events", "sampled"], output: { type: "stdout" } },
    ]);
    const run = await simulate(flow);
    expect(run.status).toBe("failed");
    const first = 'Step "lines": a file input needs a sample to run in the studio; add sample items in the side panel';
    const second = 'Step "events": a Kafka input needs a sample to run in the studio; add sample items in the side panel';
    expect(run.last.error).toMatchObject({ stepId: "lines", code: "SIM_SAMPLE_MISSING", message: `${first}\n${second}` });
    expect(run.last.error!.problems).toEqual([
      { stepId: "lines", path: "/steps/0/sample", code: "SIM_SAMPLE_MISSING", message: first },
      { stepId: "events", path: "/steps/1/sample", code: "SIM_SAMPLE_MISSING", message: second },
    ]);
  });

  it("an invalid flow fails with its first problem and a message listing all", async () => {
    const flow = flowOf([input([1]), { id: "m", op: "map", after: ["nope"], fn: "x =>" }, { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }]);
    const run = await simulate(flow);
    const problems = validateFlow(flow);
    expect(problems.length).toBe(2);
    expect(run.status).toBe("failed");
    expect(run.last.error).toMatchObject({ stepId: "m", code: "FLOW_INVALID" });
    for (const problem of problems) expect(run.last.error!.message).toContain(problem.message);
    expect(run.last.error!.problems).toHaveLength(2);
  });

  it("bad settings fail the run; a second run at once is refused", async () => {
    const flow = flowOf([input([1]), { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }]);
    const run = await simulate(flow, { workers: 9 });
    expect(run.status).toBe("failed");
    expect(run.last.error).toMatchObject({ code: "SIM_SETTINGS_INVALID", message: "Simulation settings: workers must be a whole number from 1 to 8; got 9" });
    const simulator = new Simulator();
    const slow = start(simulator, flowOf([input([1], { sample: { type: "list", items: [1, 2], intervalMs: 1000 } }), { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }]), {
      clock: { kind: "virtual", speed: 1 },
    });
    await expect(simulator.run(flow, { workers: 1, clock: { kind: "system" }, recovery: false, dbName: "" }, () => {})).rejects.toMatchObject({ code: "SIM_BUSY" });
    simulator.stop();
    expect((await slow.done).status).toBe("stopped");
  });
});

describe("controls", () => {
  const paced = flowOf(
    [
      input([], { sample: { type: "list", items: Array.from({ length: 200 }, (_, i) => i), intervalMs: 10 } }),
      { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } },
    ],
    { epoch: { type: "periodic", length: 50 } },
  );

  it("pause halts the run (counts and virtual time stand still) and resume goes on; stop ends it", async () => {
    const simulator = new Simulator();
    const { done, updates } = start(simulator, paced, { clock: { kind: "virtual", speed: 1 }, updateIntervalMs: 10 });
    const count = () => updates.at(-1)?.steps["in"]?.count ?? 0;
    await until(() => count() >= 3);
    simulator.pause();
    await until(() => updates.at(-1)?.status === "paused");
    await sleep(30);
    const paused = updates.at(-1)!;
    expect(paused.status).toBe("paused");
    await sleep(150);
    expect(count()).toBe(paused.steps["in"]!.count);
    expect(updates.at(-1)!.virtualTime).toBe(paused.virtualTime);
    simulator.resume();
    await until(() => count() > paused.steps["in"]!.count + 2);
    expect(updates.at(-1)!.status).toBe("running");
    simulator.stop();
    const run = await done;
    expect(run.status).toBe("stopped");
    expect(run.last.status).toBe("stopped");
    expect(run.last.steps["in"]!.count).toBeLessThan(200);
  });

  it("a sample with intervalMs reads one item per interval of the run's clock", async () => {
    const run = await simulate(paced, { workers: 2 });
    expect(run.status).toBe("done");
    expect(run.output).toHaveLength(200);
    // 10 ms per item and 50 ms epochs: about 5 items per epoch, on both workers together.
    const epochs = new Map<number, number>();
    for (const line of run.output) epochs.set(line.epoch, (epochs.get(line.epoch) ?? 0) + 1);
    expect(epochs.size).toBeGreaterThan(30);
    for (const count of epochs.values()) expect(count).toBeLessThanOrEqual(8);
  });

  it("updates come at most every updateIntervalMs, batched", async () => {
    const started = performance.now();
    const { done, updates } = start(new Simulator(), paced, { clock: { kind: "virtual", speed: 4 }, updateIntervalMs: 50 });
    const run = await done;
    const elapsed = performance.now() - started;
    expect(run.output).toHaveLength(200);
    // However long the run took on this machine: at most one update per interval (plus the first
    // and the last), and batched: some update carries several lines.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2);
    expect(Math.max(...updates.map((update) => update.output.length))).toBeGreaterThan(1);
  });

  it("setSpeed changes the pace of a running simulation", async () => {
    const simulator = new Simulator();
    // At 1x this input takes 200 minutes: only the change of speed can let it finish within the test's timeout.
    const slow = flowOf(
      [input([], { sample: { type: "list", items: Array.from({ length: 200 }, (_, i) => i), intervalMs: 60_000 } }), { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }],
      { epoch: { type: "periodic", length: 50 } },
    );
    const { done, updates } = start(simulator, slow, { clock: { kind: "virtual", speed: 1 }, updateIntervalMs: 10 });
    await until(() => updates.some((update) => update.output.length > 0), 20_000);
    simulator.setSpeed(Infinity);
    expect((await done).output).toHaveLength(200);
  }, 30_000);
});

describe("the sample schema", () => {
  it("takes intervalMs, a whole number of milliseconds, at least 1", () => {
    const withInterval = (intervalMs: unknown) =>
      flowOf([{ id: "in", op: "input", input: { type: "file", path: "x" }, sample: { type: "list", items: [1], intervalMs } }, { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } }]);
    expect(validateFlow(withInterval(5))).toEqual([]);
    expect(validateFlow(withInterval(0)).map((problem) => problem.path)).toEqual(["/steps/0/sample/intervalMs"]);
    expect(validateFlow(withInterval(1.5)).map((problem) => problem.path)).toEqual(["/steps/0/sample/intervalMs"]);
  });
});
