/**
 * The RecoveryStore conformance suite, written once and run against every store: the memory and
 * LMDB stores and IndexedDB on fake-indexeddb in Node (storeConformance.test.ts), and IndexedDB in
 * a real browser Web Worker (storeConformance.browser.test.ts). Plain TypeScript on purpose: no
 * test framework and no Node or DOM API, so it runs unchanged in both places.
 *
 * Each case gets `makeStore`, which returns a store over the SAME backing data on every call (the
 * same directory, database name or config object), so "close, reopen and read back" is testable.
 * A case closes every partition it opens.
 */

import { isFinished, resumeEpoch } from "../../engine/recovery/protocol.js";
import type { PartitionBatch, PartitionContents, PartitionMeta, RecoveryPartition, RecoveryStore, StateRecord } from "../../engine/recovery/store.js";

export type MakeStore = () => RecoveryStore | Promise<RecoveryStore>;

export interface ConformanceCase {
  /** A behaviour sentence: the test name. */
  readonly name: string;
  run(makeStore: MakeStore): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Assertions

export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Deep equality: numbers by Object.is, Uint8Arrays byte for byte (and must be Uint8Arrays). */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const difference = differ(actual, expected, "");
  if (difference !== undefined) {
    throw new ConformanceError(`${what}: ${difference}\n  expected: ${render(expected)}\n  actual:   ${render(actual)}`);
  }
}

function differ(actual: unknown, expected: unknown, path: string): string | undefined {
  const at = path === "" ? "" : ` at ${path}`;
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array)) return `expected a Uint8Array${at}, got ${kind(actual)}`;
    if (actual.length !== expected.length) return `byte length ${actual.length} instead of ${expected.length}${at}`;
    for (let i = 0; i < expected.length; i++) {
      if (actual[i] !== expected[i]) return `byte ${i} is ${actual[i]} instead of ${expected[i]}${at}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `expected an array${at}, got ${kind(actual)}`;
    if (actual.length !== expected.length) return `length ${actual.length} instead of ${expected.length}${at}`;
    for (let i = 0; i < expected.length; i++) {
      const d = differ(actual[i], expected[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual) || actual instanceof Uint8Array) {
      return `expected an object${at}, got ${kind(actual)}`;
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const d = differ((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${render(actual)} instead of ${render(expected)}${at}`;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `${typeof value} ${render(value)}`;
  return `a ${(value as object).constructor?.name ?? "object"}`;
}

function render(value: unknown): string {
  if (value instanceof Uint8Array) {
    const head = Array.from(value.subarray(0, 8)).join(",");
    return `Uint8Array(${value.length})[${head}${value.length > 8 ? ",…" : ""}]`;
  }
  if (value === undefined) return "undefined";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 10).map(render).join(", ");
    return `[${shown}${value.length > 10 ? `, … (${value.length} items)` : ""}]`;
  }
  if (typeof value === "object" && value !== null) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${render(v)}`)
      .join(", ")} }`;
  }
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function meta(workerIndex: number, overrides: Partial<PartitionMeta> = {}): PartitionMeta {
  return { formatVersion: 1, workerCount: 4, workerIndex, stepIds: ["inp", "sum"], ...overrides };
}

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

function record(stepId: string, key: string, epoch: number, value: Uint8Array | null): StateRecord {
  return { stepId, key, epoch, value };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Records in a fixed order, as plain objects, so that they compare whatever order a store uses. */
function sorted(records: readonly StateRecord[]): StateRecord[] {
  return records
    .map((r) => ({ stepId: r.stepId, key: r.key, epoch: r.epoch, value: r.value }))
    .sort((a, b) => compareText(a.stepId, b.stepId) || compareText(a.key, b.key) || a.epoch - b.epoch);
}

/** Opens partitions through one store and remembers them, so that a case can close them all. */
class Session {
  private readonly open: RecoveryPartition[] = [];
  private constructor(
    readonly store: RecoveryStore,
    private readonly makeStore: MakeStore,
  ) {}

  static async start(makeStore: MakeStore): Promise<Session> {
    return new Session(await makeStore(), makeStore);
  }

  async partition(workerIndex: number): Promise<RecoveryPartition> {
    const partition = await this.store.open(workerIndex);
    this.open.push(partition);
    return partition;
  }

  async close(): Promise<void> {
    const open = this.open.splice(0);
    for (const partition of open) await partition.close();
  }

  /** Closes everything, then makes a new store over the same data. */
  async reopen(): Promise<Session> {
    await this.close();
    return Session.start(this.makeStore);
  }
}

/** Runs `body` with a session and closes whatever it (and sessions it reopened) left open. */
async function withSession(makeStore: MakeStore, body: (session: Session, track: (s: Session) => Session) => Promise<void>): Promise<void> {
  const sessions = [await Session.start(makeStore)];
  const track = (session: Session) => {
    sessions.push(session);
    return session;
  };
  try {
    await body(sessions[0]!, track);
  } finally {
    for (const session of sessions) await session.close();
  }
}

async function loadOf(session: Session, workerIndex: number): Promise<PartitionContents | undefined> {
  const partition = await session.partition(workerIndex);
  return partition.load();
}

async function loaded(session: Session, workerIndex: number, what: string): Promise<PartitionContents> {
  const contents = await loadOf(session, workerIndex);
  assert(contents !== undefined, `${what}: worker ${workerIndex}'s partition loaded as undefined (no meta), expected contents`);
  return contents;
}

function assertContents(contents: PartitionContents, expected: { meta: PartitionMeta; frontier: number; records: readonly StateRecord[] }, what: string): void {
  assertEqual(contents.meta, expected.meta, `${what}: meta`);
  assertEqual(contents.frontier, expected.frontier, `${what}: frontier`);
  assertEqual(sorted(contents.records), sorted(expected.records), `${what}: records (sorted by step, key, epoch)`);
}

/** Deterministic pseudo-random bytes (xorshift), so a failure is reproducible. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A deterministic shuffle. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The cases

export const STORE_CONFORMANCE: ConformanceCase[] = [
  {
    name: "a new store has no partitions",
    async run(makeStore) {
      const store = await makeStore();
      assertEqual(await store.partitions(), [], "partitions() of a new store");
    },
  },

  {
    name: "a partition without meta loads as undefined",
    async run(makeStore) {
      await withSession(makeStore, async (session) => {
        assertEqual(await loadOf(session, 0), undefined, "load() of a partition that was only opened");
      });
    },
  },

  {
    name: "a partition whose commits never carried meta still loads as undefined",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const partition = await session.partition(1);
        await partition.commit({ records: [record("sum", "a", 0, bytes(1))], frontier: 3 });
        assertEqual(await partition.load(), undefined, "load() of a partition with records and a frontier but no meta");
        const again = track(await session.reopen());
        assertEqual(await loadOf(again, 1), undefined, "load() after reopening");
      });
    },
  },

  {
    name: "meta, frontier and records written by one commit read back after reopening",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const written = {
          meta: meta(0, { workerCount: 2, stepIds: ["inp", "count", "window"] }),
          frontier: 7,
          records: [record("inp", "0", 6, bytes(1, 2, 3)), record("count", "apple", 5, bytes(4)), record("count", "pear", 6, null)],
        };
        const partition = await session.partition(0);
        await partition.commit(written);
        assertContents((await partition.load())!, written, "load() on the partition that committed");
        const again = track(await session.reopen());
        assertEqual(await again.store.partitions(), [0], "partitions() after reopening");
        assertContents(await loaded(again, 0, "after reopening"), written, "load() after reopening");
      });
    },
  },

  {
    name: "partitions are independent: records of one worker never appear in another",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        // Workers 1 and 10 too: a prefix-based layout must not mix them up.
        const workers = [0, 1, 2, 10];
        const expected = new Map(
          workers.map((w) => [
            w,
            {
              meta: meta(w, { workerCount: 11 }),
              frontier: 100 + w,
              records: [record("sum", "k", 1, bytes(w)), record("sum", `only-${w}`, 2, bytes(w, w)), record("inp", String(w), 1, null)],
            },
          ]),
        );
        for (const w of workers) await (await session.partition(w)).commit(expected.get(w)!);
        // Writing one partition again must not touch the others.
        await (await session.partition(1)).commit({ records: [record("sum", "k", 1, bytes(99))], deletes: [{ stepId: "inp", key: "1", epoch: 1 }] });
        const one = expected.get(1)!;
        expected.set(1, { ...one, records: [record("sum", "k", 1, bytes(99)), record("sum", "only-1", 2, bytes(1, 1))] });
        const again = track(await session.reopen());
        for (const w of workers) assertContents(await loaded(again, w, `worker ${w}`), expected.get(w)!, `worker ${w} after reopening`);
        assertEqual(await loadOf(again, 3), undefined, "load() of worker 3, never written");
      });
    },
  },

  {
    name: "partitions() lists exactly the workers with meta",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        for (const w of [0, 2, 5]) await (await session.partition(w)).commit({ meta: meta(w, { workerCount: 6 }) });
        // Opened and written without meta, or only opened: not a partition yet.
        await (await session.partition(1)).commit({ frontier: 4, records: [record("sum", "x", 0, bytes(1))] });
        await session.partition(3);
        const listed = [...(await session.store.partitions())].sort((a, b) => a - b);
        assertEqual(listed, [0, 2, 5], "partitions() (sorted)");
        const again = track(await session.reopen());
        assertEqual([...(await again.store.partitions())].sort((a, b) => a - b), [0, 2, 5], "partitions() after reopening (sorted)");
      });
    },
  },

  {
    name: "a later commit overwrites a record with the same (step, key, epoch) and the frontier",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const partition = await session.partition(0);
        await partition.commit({ meta: meta(0), frontier: 1, records: [record("sum", "a", 0, bytes(1, 1, 1)), record("sum", "b", 0, null)] });
        await partition.commit({ frontier: 2, records: [record("sum", "a", 0, bytes(2)), record("sum", "b", 0, bytes(3))] });
        const expected = { meta: meta(0), frontier: 2, records: [record("sum", "a", 0, bytes(2)), record("sum", "b", 0, bytes(3))] };
        assertContents((await partition.load())!, expected, "load() after overwriting");
        // Same key, other epoch: a different record, not an overwrite.
        await partition.commit({ frontier: 3, records: [record("sum", "a", 1, null)] });
        const more = { ...expected, frontier: 3, records: [...expected.records, record("sum", "a", 1, null)] };
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), more, "load() after reopening");
      });
    },
  },

  {
    name: "a commit without meta or frontier keeps the previous ones, and a new meta replaces the old whole",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const partition = await session.partition(0);
        await partition.commit({ meta: meta(0, { stepIds: ["a", "b", "c"] }), frontier: 5 });
        await partition.commit({ records: [record("a", "k", 5, bytes(5))] });
        assertContents((await partition.load())!, { meta: meta(0, { stepIds: ["a", "b", "c"] }), frontier: 5, records: [record("a", "k", 5, bytes(5))] }, "after a records-only commit");
        await partition.commit({ meta: meta(0, { formatVersion: 2, workerCount: 1, stepIds: ["z"] }) });
        const again = track(await session.reopen());
        assertContents(
          await loaded(again, 0, "after reopening"),
          { meta: meta(0, { formatVersion: 2, workerCount: 1, stepIds: ["z"] }), frontier: 5, records: [record("a", "k", 5, bytes(5))] },
          "after replacing meta and reopening",
        );
      });
    },
  },

  {
    name: "the finished mark (meta `finished`, with the last epoch and its frontier in one batch) round-trips, and a later meta without it clears it",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        // Worker 0's input ended in epoch 4: the end commit saves epoch 4, frontier 5, and the mark.
        const zero = await session.partition(0);
        await zero.commit({ meta: meta(0, { workerCount: 2 }), frontier: 4, records: [record("inp", "0", 3, bytes(3))] });
        const end: PartitionBatch = { meta: meta(0, { workerCount: 2, finished: true }), frontier: 5, records: [record("inp", "0", 4, bytes(4))] };
        await zero.commit(end);
        const one = await session.partition(1);
        await one.commit({ meta: meta(1, { workerCount: 2 }), frontier: 8 });
        const expected = { meta: meta(0, { workerCount: 2, finished: true }), frontier: 5, records: [record("inp", "0", 3, bytes(3)), record("inp", "0", 4, bytes(4))] };
        assertContents((await zero.load())!, expected, "the finished partition, right after the commit");

        let again = track(await session.reopen());
        const finished = await loaded(again, 0, "the finished partition after reopening");
        assertContents(finished, expected, "the finished partition after reopening");
        assert(isFinished(finished), "the finished partition is not finished after reopening");
        const running = await loaded(again, 1, "the unfinished partition after reopening");
        assert(!isFinished(running), "the partition without the mark reads as finished");
        assertEqual(resumeEpoch([finished, running].map((c) => ({ frontier: c.frontier, finished: isFinished(c) }))), 8, "the resume epoch with worker 0 finished");

        // A run that starts rewrites every partition's meta, which clears the mark.
        await (await again.partition(0)).commit({ meta: meta(0, { workerCount: 2 }), frontier: 8 });
        again = track(await again.reopen());
        const cleared = await loaded(again, 0, "after a meta without the mark, reopened");
        assert(!isFinished(cleared), "a meta without `finished` left the partition finished");
        assertEqual(cleared.meta, meta(0, { workerCount: 2 }), "meta after clearing the mark");
      });
    },
  },

  {
    name: "deletes remove exactly the named records",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const partition = await session.partition(0);
        // Neighbours that differ from a deleted record in one part only.
        const all = [
          record("sum", "a", 0, bytes(0)),
          record("sum", "a", 1, bytes(1)),
          record("sum", "a", 2, null),
          record("sum", "ab", 1, bytes(3)),
          record("sum", "", 1, bytes(4)),
          record("sums", "a", 1, bytes(5)),
          record("su", "ma", 1, bytes(6)),
          record("inp", "a", 1, bytes(7)),
        ];
        await partition.commit({ meta: meta(0), records: all, frontier: 3 });
        await partition.commit({
          deletes: [
            { stepId: "sum", key: "a", epoch: 1 },
            { stepId: "sum", key: "a", epoch: 2 },
            // Deleting what is not there is not an error.
            { stepId: "sum", key: "never", epoch: 9 },
            { stepId: "nope", key: "a", epoch: 1 },
          ],
        });
        const expected = { meta: meta(0), frontier: 3, records: all.filter((r) => !(r.stepId === "sum" && r.key === "a" && r.epoch > 0)) };
        assertContents((await partition.load())!, expected, "load() after deleting");
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), expected, "load() after deleting and reopening");
      });
    },
  },

  {
    name: "null values (resets) round-trip as null and Uint8Array values byte for byte, including empty and 1 MB values",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const large = pseudoRandomBytes(1024 * 1024, 42);
        const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
        // A view on a larger buffer: only the view's bytes belong to the record.
        const backing = pseudoRandomBytes(64, 7);
        const view = backing.subarray(10, 20);
        const written = [
          record("s", "reset", 0, null),
          record("s", "empty", 0, new Uint8Array(0)),
          record("s", "zero", 0, bytes(0)),
          record("s", "every byte", 0, everyByte),
          record("s", "large", 0, large),
          record("s", "view", 0, view),
        ];
        const partition = await session.partition(0);
        await partition.commit({ meta: meta(0), records: written });
        const expected = { meta: meta(0), frontier: 0, records: written.map((r) => ({ ...r, value: r.value && r.value.slice() })) };
        const again = track(await session.reopen());
        const contents = await loaded(again, 0, "after reopening");
        assertContents(contents, expected, "values after reopening");
        for (const r of contents.records) {
          if (r.key === "reset") assert(r.value === null, `the reset came back as ${kind(r.value)}, not null`);
          else assert(r.value instanceof Uint8Array, `the value of "${r.key}" came back as ${kind(r.value)}, not a Uint8Array`);
        }
        const backView = contents.records.find((r) => r.key === "view")!.value!;
        assertEqual(backView.length, 10, "length of the value written as a 10-byte view on a 64-byte buffer");
      });
    },
  },

  {
    name: "the store keeps its own copy: changing committed bytes afterwards changes nothing",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const value = bytes(1, 2, 3);
        const partition = await session.partition(0);
        await partition.commit({ meta: meta(0), records: [record("s", "k", 0, value)] });
        value.fill(9);
        assertContents((await partition.load())!, { meta: meta(0), frontier: 0, records: [record("s", "k", 0, bytes(1, 2, 3))] }, "load() after the caller changed its bytes");
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), { meta: meta(0), frontier: 0, records: [record("s", "k", 0, bytes(1, 2, 3))] }, "after reopening");
      });
    },
  },

  {
    name: "step ids and keys with unicode, quotes, slashes and other odd characters round-trip",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const odd = [
          "",
          " ",
          "plain",
          "ünïcödé",
          "日本語のキー",
          "emoji 🦆🌊",
          "e\u0301 (combining)",
          "right-to-left مرحبا",
          'double "quotes"',
          "single 'quotes'",
          "back`tick",
          "slash/and/more/",
          "back\\slash\\",
          "../../etc/passwd",
          "new\nline\ttab\rreturn",
          "control \u0001\u001f\u007f",
          "[1,2]",
          '{"json":true}',
          "0",
          "-1",
          "1e3",
          "NaN",
          "undefined",
          "null",
          "%2F%00",
          "\uFEFFbom",
          "\uFFFF last BMP",
        ];
        const records = odd.flatMap((text, i) => [record(text, `key of ${i}`, i, bytes(i)), record(`step of ${i}`, text, 1, bytes(i, 1))]);
        // Pairs that would collide if step id and key were simply concatenated.
        records.push(record("a", "bc", 1, bytes(1)), record("ab", "c", 1, bytes(2)), record("a\u0001", "b", 1, bytes(3)), record("a", "\u0001b", 1, bytes(4)));
        const stepIds = [...new Set(records.map((r) => r.stepId))];
        const written = { meta: meta(0, { stepIds }), frontier: 2, records };
        await (await session.partition(0)).commit(written);
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), written, "odd step ids and keys after reopening");
        // And they can be deleted by the same names.
        const partition = await again.partition(0);
        await partition.commit({ deletes: records.map(({ stepId, key, epoch }) => ({ stepId, key, epoch })) });
        assertEqual((await partition.load())!.records.length, 0, "records left after deleting every odd name");
      });
    },
  },

  {
    name: "long step ids and keys (10 000 characters) round-trip",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        // Keys are user data (a URL, a document id, a JSON blob): they can be long.
        const longKey = "k".repeat(10_000);
        const longStep = `step-${"s".repeat(10_000)}`;
        const records = [record("sum", longKey, 1, bytes(1)), record(longStep, "k", 1, bytes(2)), record("sum", `${longKey}!`, 1, bytes(3))];
        const written = { meta: meta(0, { stepIds: ["sum", longStep] }), frontier: 2, records };
        await (await session.partition(0)).commit(written);
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), written, "long step ids and keys after reopening");
      });
    },
  },

  {
    name: "epochs from 0 to beyond 2^32 round-trip and stay distinct",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const epochs = [0, 1, 2, 9, 10, 11, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
        const records = epochs.map((epoch, i) => record("s", "k", epoch, bytes(i)));
        const written = { meta: meta(0), frontier: Number.MAX_SAFE_INTEGER, records };
        await (await session.partition(0)).commit(written);
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), written, "large epochs and frontier after reopening");
      });
    },
  },

  {
    name: "a batch with meta, records, deletes and frontier is applied as a whole",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const partition = await session.partition(0);
        await partition.commit({ meta: meta(0), frontier: 1, records: [record("sum", "old", 0, bytes(1)), record("sum", "keep", 0, bytes(2))] });
        const batch: PartitionBatch = {
          meta: meta(0, { stepIds: ["sum", "more"] }),
          deletes: [{ stepId: "sum", key: "old", epoch: 0 }],
          records: [record("sum", "new", 1, bytes(3)), record("more", "x", 1, null)],
          frontier: 2,
        };
        await partition.commit(batch);
        const expected = {
          meta: meta(0, { stepIds: ["sum", "more"] }),
          frontier: 2,
          records: [record("sum", "keep", 0, bytes(2)), record("sum", "new", 1, bytes(3)), record("more", "x", 1, null)],
        };
        assertContents((await partition.load())!, expected, "every part of the batch, right after the commit");
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), expected, "every part of the batch after reopening");
      });
    },
  },

  {
    name: "a batch is all or nothing: one the store refuses midway (a NaN epoch, a 10 000-character key) leaves no trace",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        // Records a store may refuse: NaN is no IndexedDB key; LMDB keys are limited in size. A store
        // that takes them must take the whole batch; one that refuses them must refuse all of it.
        const bad: ReadonlyArray<[what: string, record: StateRecord]> = [
          ["a NaN epoch", record("sum", "bad", Number.NaN, bytes(4))],
          ["a 10 000-character key", record("sum", `bad-${"x".repeat(10_000)}`, 4, bytes(4))],
        ];
        const isBad = (r: StateRecord) => r.key.startsWith("bad");
        const before = (w: number) => ({ meta: meta(w), frontier: 4, records: [record("sum", "a", 3, bytes(1)), record("sum", "b", 3, bytes(2))] });
        const batchOf = (w: number, badRecord: StateRecord): PartitionBatch => ({
          meta: meta(w, { stepIds: ["changed"] }),
          deletes: [{ stepId: "sum", key: "a", epoch: 3 }],
          // The bad record comes last, so a store that writes as it goes has written the rest.
          records: [record("sum", "b", 3, bytes(9)), record("sum", "c", 4, bytes(3)), badRecord],
          frontier: 5,
        });
        const refused = new Map<number, boolean>();
        const check = (w: number, contents: PartitionContents, when: string) => {
          const what = `${bad[w]![0]}, ${when}`;
          if (refused.get(w)) {
            assertContents(contents, before(w), `${what}: the refused batch left a trace`);
            return;
          }
          // The store took the batch: then all of it must be there (the odd record aside).
          assertEqual(contents.meta, batchOf(w, bad[w]![1]).meta, `${what}: meta of the accepted batch`);
          assertEqual(contents.frontier, 5, `${what}: frontier of the accepted batch`);
          const good = sorted(contents.records.filter((r) => !isBad(r) && r.key !== "after"));
          assertEqual(good, sorted([record("sum", "b", 3, bytes(9)), record("sum", "c", 4, bytes(3))]), `${what}: records of the accepted batch`);
        };
        for (const [w, [, badRecord]] of bad.entries()) {
          const partition = await session.partition(w);
          await partition.commit(before(w));
          try {
            await partition.commit(batchOf(w, badRecord));
            refused.set(w, false);
          } catch {
            refused.set(w, true);
          }
          check(w, (await partition.load())!, "right after the commit");
          // The partition is still usable after a refused batch.
          await partition.commit({ records: [record("sum", "after", 5, bytes(7))] });
        }
        const again = track(await session.reopen());
        for (const w of bad.keys()) {
          const contents = await loaded(again, w, "after reopening");
          check(w, { ...contents, records: contents.records.filter((r) => r.key !== "after") }, "after reopening");
          assert(
            contents.records.some((r) => r.key === "after"),
            `${bad[w]![0]}: a commit after the refused batch was lost`,
          );
        }
      });
    },
  },

  {
    name: "200 commits in sequence keep the last state",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const partition = await session.partition(0);
        const commits = 200;
        for (let i = 0; i < commits; i++) {
          await partition.commit({
            ...(i === 0 ? { meta: meta(0) } : {}),
            records: [record("sum", "running", 0, bytes(i & 0xff, i >> 8)), record("sum", "epoch", i, bytes(i & 0xff))],
            deletes: i > 0 ? [{ stepId: "sum", key: "epoch", epoch: i - 1 }] : [],
            frontier: i + 1,
          });
        }
        const expected = { meta: meta(0), frontier: commits, records: [record("sum", "running", 0, bytes((commits - 1) & 0xff, (commits - 1) >> 8)), record("sum", "epoch", commits - 1, bytes((commits - 1) & 0xff))] };
        assertContents((await partition.load())!, expected, `after ${commits} commits`);
        const again = track(await session.reopen());
        assertContents(await loaded(again, 0, "after reopening"), expected, `after ${commits} commits and reopening`);
      });
    },
  },

  {
    name: "records come back whatever order they were written in",
    async run(makeStore) {
      await withSession(makeStore, async (session, track) => {
        const all: StateRecord[] = [];
        for (const stepId of ["z-last", "a-first", "m"]) {
          for (let k = 0; k < 20; k++) for (const epoch of [3, 0, 1]) all.push(record(stepId, `key-${(k * 7) % 20}`, epoch, bytes(k, epoch)));
        }
        const order = shuffled(all, 12345);
        const partition = await session.partition(2);
        await partition.commit({ meta: meta(2), frontier: 4 });
        // Several commits, each in its own scrambled order.
        for (let start = 0; start < order.length; start += 37) await partition.commit({ records: order.slice(start, start + 37) });
        const expected = { meta: meta(2), frontier: 4, records: all };
        assertContents((await partition.load())!, expected, "records written in a scrambled order");
        const again = track(await session.reopen());
        assertContents(await loaded(again, 2, "after reopening"), expected, "records written in a scrambled order, after reopening");
      });
    },
  },
];
