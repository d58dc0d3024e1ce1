/**
 * The flow files the runner contender runs (`eddy run FLOW.json -w N`): each workload as the same
 * steps as bench/eddy.ts, in the flow format, written as a user would (no tricks for the vm).
 *
 * Input: a `function` input computing the items from their indices; worker `w` of `n` takes the
 * indices `i ≡ w (mod n)` in increasing order. The scaling flow (workload S) instead gives each
 * worker the indices of the words `w ≡ worker (mod n)`, so that every key's items come from one
 * worker in time order (see `flowFile`), and each worker visits only its own indices
 * (`byWordInput`).
 *
 * Output: a `function` capture that sums each output's contribution to the checksum in the worker
 * (as runMain's capture does) and, once per engine turn in which it received items, prints the
 * worker's running sum to standard error (`console` in flow functions writes there) as
 * `eddy-bench-sum <worker> <sum>`. The flush is a microtask queued by the item, so it runs before
 * the worker reports that it is done: the last line of each worker is its final sum. The harness
 * adds the workers' last lines. (A `stdout` capture, one line per output item, costs the runner
 * about 1 µs per item in writing and piping, 5 s of W2's 10 million outputs: it measured the pipe.)
 */

import { JOIN_KEYS, MIX_SOURCE, SUM_TAG, W5_GAP_MS, W5_WAIT_MS, type Workload } from "./workloads.js";

type Step = Record<string, unknown>;

/** What one output item adds to the checksum, as a JavaScript expression of `item`. */
const CONTRIBUTION: Readonly<Record<Workload, string>> = {
  W1: "item",
  W2: "item[1]",
  W3: "item[1] * item[1]",
  W4: '((count) => count * count + item.length)(Number(item.slice(item.lastIndexOf(":") + 1, -1)))',
  W5: "item[1][2] * item[1][2] + item[1][1] - item[1][0]",
  J: "(item[1][0] === null ? 0 : item[1][0] + 1) * 101 + (item[1][1] === null ? 0 : item[1][1] + 1)",
};

/** A side of workload J: items `j` of `count`, worker `w` of `n` taking j ≡ w (mod n); `item` an expression of `j` and `m = mix(j)`. */
function sideInput(id: string, count: number, item: string): Step {
  const loop = [`  for (let j = typeof resume === "number" ? resume : worker; j < ${count}; j += workers) {`, "    const m = mix(j);"];
  return { id, op: "input", input: { type: "function", fn: ["function* (worker, workers, resume) {", `  ${MIX_SOURCE}`, ...loop, "    yield [j + workers, " + item + "];", "  }", "}"] } };
}

/** The input step: `item` is a JavaScript expression of the index `i` and of `m = mix(i)`. */
function indexInput(id: string, n: number, item: string, byWord: boolean): Step {
  if (byWord) return byWordInput(id, n, item, 1000);
  const loop = [`  for (let i = typeof resume === "number" ? resume : worker; i < ${n}; i += workers) {`, "    const m = mix(i);"];
  return { id, op: "input", input: { type: "function", fn: ["function* (worker, workers, resume) {", `  ${MIX_SOURCE}`, ...loop, "    yield [i + workers, " + item + "];", "  }", "}"] } };
}

/**
 * The scaling flows' input: worker `w` of `n` reads the items whose key number `mix(i) % keys` (the
 * word of W3, the key of W2) is `≡ w (mod n)`, in index order, and only those. For `n` dividing 8
 * (1, 2, 4, 8: the S workload's counts; 1000 and 10000 are multiples of 8) which worker owns index
 * i depends only on i mod 2^(16 + log2 n): `(m % keys) % n` is then
 * `m % n`, the low bits of `h ^ (h >>> 16)` with `h = i * 2654435761`, and the low bits of a product
 * depend only on the low bits of i. So each worker lists its offsets within one period once (2^17
 * indices for 2 workers) and then visits its own indices only; for other counts it scans every index.
 */
function byWordInput(id: string, n: number, item: string, keys: number, part?: FlowPart): Step {
  const fn = [
    "function* (worker, workers, resume) {",
    // A part of a run (`part`): this run reads what worker `part.index` of `part.of` would.
    ...(part === undefined ? [] : [`  worker = ${part.index}; workers = ${part.of};`]),
    `  ${MIX_SOURCE}`,
    "  const start = typeof resume === \"number\" ? resume : 0;",
    "  if (8 % workers === 0) {",
    "    const period = 2 ** (16 + Math.log2(workers));",
    "    const own = [];",
    `    for (let r = 0; r < period; r++) if ((mix(r) % ${keys}) % workers === worker) own.push(r);`,
    `    for (let base = start - (start % period); base < ${n}; base += period) {`,
    "      for (let k = 0; k < own.length; k++) {",
    "        const i = base + own[k];",
    `        if (i >= ${n}) break;`,
    "        if (i < start) continue;",
    "        const m = mix(i);",
    `        yield [i + 1, ${item}];`,
    "      }",
    "    }",
    "    return;",
    "  }",
    `  for (let i = start; i < ${n}; i++) {`,
    "    const m = mix(i);",
    `    if ((m % ${keys}) % workers !== worker) continue;`,
    `    yield [i + 1, ${item}];`,
    "  }",
    "}",
  ];
  return { id, op: "input", input: { type: "function", fn } };
}

const windowCount = (after: string, wait: number): Step => ({
  id: "count",
  op: "fold_window",
  after: [after],
  clock: { type: "event", fn: "(x) => x.t", waitForSystemDuration: wait },
  window: { type: "tumbling", length: 1000, startAt: 0 },
  builder: "() => 0",
  fn: "(count) => count + 1",
});

function summing(workload: Workload, after: string): Step {
  const fn = [
    "(worker) => {",
    "  let sum = 0;",
    "  let flushing = false;",
    `  const flush = () => { flushing = false; console.log(\`${SUM_TAG} \${worker} \${sum}\`); };`,
    "  return (item) => {",
    `    sum += ${CONTRIBUTION[workload]};`,
    "    if (!flushing) { flushing = true; queueMicrotask(flush); }",
    "  };",
    "}",
  ];
  return { id: "out", op: "capture", after: [after], output: { type: "function", fn } };
}

/**
 * Part `index` of `of` of a scaling flow: run with one worker, it reads the items that worker `index`
 * of `of` reads, and only those (the machine's ceiling for `of` workers: `of` such runs at once,
 * each alone with its keys, nothing crossing). The parts' checksums add up to the whole flow's.
 */
export interface FlowPart {
  readonly index: number;
  readonly of: number;
}

function steps(workload: Workload, n: number, scaling: boolean, part?: FlowPart): Step[] {
  const output = (after: string) => summing(workload, after);
  // The scaling flow waits 10 windows (10 s of event time) before closing: items cross threads in
  // batches, and a key's watermark also advances with system time while its next item is in transit
  // or its worker's thread is not running. With one window, a thread held off the CPU for over a
  // second (a loaded machine, 4 threads on 2 cores) made items late (dropped: a wrong checksum).
  const wait = scaling ? 10_000 : 0;
  switch (workload) {
    case "W1":
      return [
        indexInput("numbers", n, "m % 1000", false),
        { id: "triple", op: "map", after: ["numbers"], fn: "(x) => x * 3" },
        { id: "even", op: "filter", after: ["triple"], fn: "(x) => x % 2 === 0" },
        { id: "plus1", op: "map", after: ["even"], fn: "(x) => x + 1" },
        output("plus1"),
      ];
    case "W2":
      return [
        scaling ? byWordInput("pairs", n, '["k" + (m % 10000), m % 100]', 10000) : indexInput("pairs", n, '["k" + (m % 10000), m % 100]', false),
        { id: "sum", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "(sum, value) => [sum + value, sum + value]" },
        output("sum"),
      ];
    case "W3":
      return [
        part !== undefined ? byWordInput("words", n, '{ word: "w" + (m % 1000), t: i }', 1000, part) : indexInput("words", n, '{ word: "w" + (m % 1000), t: i }', scaling),
        { id: "key", op: "map", after: ["words"], fn: "(x) => [x.word, x]" },
        windowCount("key", wait),
        output("count"),
      ];
    case "W4":
      return [
        indexInput("lines", n, 'JSON.stringify({ word: "w" + (m % 1000), t: i })', scaling),
        { id: "parse", op: "map", after: ["lines"], fn: "(line) => JSON.parse(line)" },
        { id: "key", op: "map", after: ["parse"], fn: "(x) => [x.word, x]" },
        windowCount("key", wait),
        { id: "serialize", op: "map", after: ["count"], fn: "([word, count]) => JSON.stringify({ word, count })" },
        output("serialize"),
      ];
    case "W5":
      return [
        scaling ? byWordInput("clicks", n, '["k" + (m % 10000), i]', 10000) : indexInput("clicks", n, '["k" + (m % 10000), i]', false),
        {
          id: "sessions",
          op: "count_window",
          after: ["clicks"],
          clock: { type: "event", fn: "(t) => t", waitForSystemDuration: W5_WAIT_MS },
          window: { type: "session", gap: W5_GAP_MS },
          withWindow: true,
        },
        output("sessions"),
      ];
    case "J":
      return [
        sideInput("left", Math.ceil(n / 2), `["k" + (j % ${JOIN_KEYS}), m % 100]`),
        sideInput("right", Math.floor(n / 2), `["k" + ((j + ${JOIN_KEYS / 2}) % ${JOIN_KEYS}), (m >>> 8) % 100]`),
        { id: "join", op: "join", after: ["left", "right"], insertMode: "last", emitMode: "running" },
        output("join"),
      ];
  }
}

/**
 * The flow file of `workload` over `n` items, as JSON text. `scaling` makes the flow of workload S:
 * with the index partition `i ≡ w (mod n)`, a key's items come from every worker, and a worker that
 * runs ahead makes the others' items late (dropped, a wrong checksum), because event-time windows
 * with no wait expect each key's items in time order.
 */
export function flowFile(workload: Workload, n: number, scaling = false, part?: FlowPart): string {
  const of = part === undefined ? "" : `, part ${part.index + 1} of ${part.of}`;
  const flow = {
    format: "eddy.flow",
    version: 1,
    name: `bench-${workload.toLowerCase()}${scaling ? "-scaling" : ""}${part === undefined ? "" : `-part${part.index + 1}of${part.of}`}`,
    description: `bench/WORKLOADS.md ${workload} over ${n} items${scaling ? ", partitioned by word, for the scaling workload S" : ""}${of}`,
    steps: steps(workload, n, scaling, part),
  };
  return `${JSON.stringify(flow, null, 2)}\n`;
}
