/**
 * RxJS 7 peer of the benchmark: workloads W1-W5 of bench/WORKLOADS.md written as an RxJS user would.
 * Usage: node dist/bench/peers/rxjs.js <W1|W2|W3|W4|W5> <N>
 * Items are made from their index inside the pipeline (`range` then `map`), synchronously, so input
 * generation is measured. Prints one JSON line: workload, contender, items, seconds (pipeline only),
 * checksum, maxRssKb, version. Standalone on purpose: imports nothing from the harness.
 */

import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { endWith, filter, groupBy, map, mergeMap, range, reduce, scan, type Observable, type OperatorFunction } from "rxjs";

type Workload = "W1" | "W2" | "W3" | "W4" | "W5";

/** W5's session gap (bench/workloads.ts W5_GAP_MS). */
const W5_GAP_MS = 23_000;

/** W5's scan state: every key's open session, and what the session closed by the latest item adds (0 if none). */
interface SessionScan {
  open: Map<string, { count: number; first: number; last: number }>;
  closed: number;
}

function mix(i: number): number {
  const h = Math.imul(i, 2654435761) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const sum = reduce<number, number>((total, x) => total + x, 0);

/** W2's scan state: every key's running sum, and the [key, sum] pair of the latest item. */
interface KeyedSums {
  sums: Map<string, number>;
  last: [string, number];
}

/** A key's window state while scanning its items: the open window and the count of the one just closed. */
interface WindowScan {
  index: number;
  count: number;
  closed: number;
}

/**
 * `[word, count]` per word and 1 s event-time tumbling window (window index `floor(t / 1000)`).
 * groupBy word; within a word the items are in time order, so a window's count is final when the
 * word's next window starts, or when the input completes (`endWith` a sentinel window).
 */
function countPerWordWindow(): OperatorFunction<{ word: string; t: number }, [string, number]> {
  return (items) =>
    items.pipe(
      groupBy((item) => item.word),
      mergeMap((word$) =>
        word$.pipe(
          map((item) => Math.floor(item.t / 1000)),
          endWith(Infinity),
          scan<number, WindowScan>(
            (s, index) => (index === s.index ? { index, count: s.count + 1, closed: 0 } : { index, count: 1, closed: s.count }),
            { index: -1, count: 0, closed: 0 },
          ),
          filter((s) => s.closed > 0),
          map((s): [string, number] => [word$.key, s.closed]),
        ),
      ),
    );
}

function pipeline(workload: Workload, n: number): Observable<number> {
  const indices = range(0, n);
  switch (workload) {
    case "W1":
      return indices.pipe(
        map((i) => mix(i) % 1000),
        map((x) => x * 3),
        filter((x) => x % 2 === 0),
        map((x) => x + 1),
        sum,
      );
    case "W2":
      // Keyed running sum as one `scan` whose state holds a Map of sums (emitting [key, sum] per item).
      // The other idiom, groupBy(key) + mergeMap(scan) with one group per key, gives the same checksum
      // but ran ~10x slower with 10,000 keys (N=1M: ~0.4M vs ~4M items/s): we keep the faster one.
      return indices.pipe(
        map((i): [string, number] => {
          const m = mix(i);
          return ["k" + (m % 10000), m % 100];
        }),
        scan<[string, number], KeyedSums>(
          (state, [key, value]) => {
            const running = (state.sums.get(key) ?? 0) + value;
            state.sums.set(key, running);
            state.last = [key, running];
            return state;
          },
          { sums: new Map(), last: ["", 0] },
        ),
        map((state) => state.last[1]),
        sum,
      );
    case "W3":
      return indices.pipe(
        map((i) => ({ word: "w" + (mix(i) % 1000), t: i })),
        countPerWordWindow(),
        map(([, count]) => count * count),
        sum,
      );
    case "W4":
      return indices.pipe(
        map((i) => JSON.stringify({ word: "w" + (mix(i) % 1000), t: i })),
        map((line) => JSON.parse(line) as { word: string; t: number }),
        countPerWordWindow(),
        map(([word, count]) => JSON.stringify({ word, count })),
        // The count is read back from the serialized string ('{"word":"w1","count":7}').
        map((text) => {
          const count = Number(text.slice(text.lastIndexOf(":") + 1, -1));
          return count * count + text.length;
        }),
        sum,
      );
    case "W5":
      // As W2: one `scan` whose state holds every key's open session (a Map); a key's session closes
      // when its next item comes more than the gap later, and every session at the end (`endWith`).
      return indices.pipe(
        map((i): [string, number] | null => ["k" + (mix(i) % 10000), i]),
        endWith(null),
        scan<[string, number] | null, SessionScan>(
          (state, item) => {
            state.closed = 0;
            if (item === null) {
              for (const s of state.open.values()) state.closed += s.count * s.count + s.last - s.first;
              return state;
            }
            const [key, t] = item;
            const session = state.open.get(key);
            if (session === undefined) state.open.set(key, { count: 1, first: t, last: t });
            else if (t - session.last <= W5_GAP_MS) {
              session.count += 1;
              session.last = t;
            } else {
              state.closed = session.count * session.count + session.last - session.first;
              session.count = 1;
              session.first = t;
              session.last = t;
            }
            return state;
          },
          { open: new Map(), closed: 0 },
        ),
        map((state) => state.closed),
        sum,
      );
  }
}

function main(argv: string[]): number {
  const [workload, items] = argv;
  if (argv.length !== 2 || !["W1", "W2", "W3", "W4", "W5"].includes(workload!) || !/^\d+$/.test(items!)) {
    process.stderr.write("usage: node dist/bench/peers/rxjs.js <W1|W2|W3|W4|W5> <N>\n");
    return 2;
  }
  const n = Number(items);
  const version = (createRequire(import.meta.url)("rxjs/package.json") as { version: string }).version;
  let checksum = Number.NaN;
  const start = performance.now();
  pipeline(workload as Workload, n).subscribe((value) => (checksum = value)); // synchronous source: done on return
  const seconds = (performance.now() - start) / 1000;
  const maxRssKb = process.resourceUsage().maxRSS;
  console.log(JSON.stringify({ workload, contender: "rxjs", items: n, seconds: Number(seconds.toFixed(6)), checksum, maxRssKb, version }));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
