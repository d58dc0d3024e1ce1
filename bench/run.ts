/**
 * `npm run bench`: throughput of Eddy against a hand-written loop, run in the same process, several
 * times each; reports the median items per second and the ratio to the hand loop. `--quick` runs a
 * small size only to check that every workload completes with the right checksum.
 */

import { textLines } from "./data.js";
import { eddyKeyedSum, handKeyedSum, keyedItems } from "./keyedSum.js";
import { eddyWordCount, handWordCount } from "./wordcount.js";

const quick = process.argv.includes("--quick");
const WORDS = quick ? 20_000 : 1_000_000;
const KEYED_ITEMS = quick ? 20_000 : 20_000_000;
const RUNS = quick ? 1 : 5;

interface Measurement {
  name: string;
  itemsPerSecond: number;
  checksum: number;
}

async function measure(name: string, items: number, run: () => number | Promise<number>): Promise<Measurement> {
  const rates: number[] = [];
  let checksum = 0;
  await run(); // warm-up
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    checksum = await run();
    rates.push(items / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { name, itemsPerSecond: rates[Math.floor(rates.length / 2)]!, checksum };
}

/** Measures several workloads in alternation, so that drift in the process (GC, JIT) hits all alike. */
async function measureAlternating(items: number, runs: Record<string, () => number | Promise<number>>): Promise<Measurement[]> {
  const names = Object.keys(runs);
  const rates = new Map<string, number[]>(names.map((name) => [name, []]));
  const checksums = new Map<string, number>();
  for (const name of names) await runs[name]!(); // warm-up
  for (let i = 0; i < RUNS; i++) {
    for (const name of names) {
      const start = performance.now();
      checksums.set(name, await runs[name]!());
      rates.get(name)!.push(items / ((performance.now() - start) / 1000));
    }
  }
  return names.map((name) => {
    const sorted = rates.get(name)!.sort((a, b) => a - b);
    return { name, itemsPerSecond: sorted[Math.floor(sorted.length / 2)]!, checksum: checksums.get(name)! };
  });
}

function report(title: string, results: readonly Measurement[], baseline: Measurement, unit: string): number {
  console.log(`\n${title}, median of ${RUNS} runs, Node ${process.version}`);
  console.log(`| workload | ${unit}/s | vs ${baseline.name} |`);
  console.log("|---|---:|---:|");
  let wrong = 0;
  for (const result of results) {
    if (result.checksum !== baseline.checksum) wrong += 1;
    console.log(`| ${result.name} | ${Math.round(result.itemsPerSecond).toLocaleString("en")} | ${(result.itemsPerSecond / baseline.itemsPerSecond).toFixed(2)} |`);
  }
  return wrong;
}

const lines = textLines(WORDS);
const hand = await measure("hand-written loop", WORDS, () => handWordCount(lines));
let wrong = report(
  `word count over ${WORDS.toLocaleString("en")} words`,
  [hand, await measure("eddy, 1 worker", WORDS, () => eddyWordCount(lines, 1)), await measure("eddy, 4 workers (one thread)", WORDS, () => eddyWordCount(lines, 4))],
  hand,
  "words",
);

const items = keyedItems(KEYED_ITEMS);
const keyed = await measureAlternating(KEYED_ITEMS, {
  "eddy, no recovery": () => eddyKeyedSum(items, false),
  "eddy, FileRecoveryConfig (LMDB)": () => eddyKeyedSum(items, true),
  "hand-written loop": () => handKeyedSum(items),
});
wrong += report(`keyed running sum (statefulMap, 10,000 keys) over ${KEYED_ITEMS.toLocaleString("en")} items, 1 s epochs`, keyed, keyed[0]!, "items");

if (wrong > 0) {
  console.error(`${wrong} workload(s) gave a wrong checksum`);
  process.exit(1);
}
