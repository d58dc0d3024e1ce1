import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashKey, workerForKey } from "../../engine/operators/keyed.js";

describe("the key hash", () => {
  // Routing must be identical in every process, run, Node version and browser, so these values are
  // a compatibility contract: changing them would send recovered state to the wrong workers.
  it("gives the pinned values of the format", () => {
    expect(["", "a", "to", "apple", "Ünïcödé", "🙂"].map(hashKey)).toEqual([
      HASHES.empty, HASHES.a, HASHES.to, HASHES.apple, HASHES.unicode, HASHES.emoji,
    ]);
  });

  it("routes every key to a worker in range, the same way each time", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 64 }), (key, count) => {
        const worker = workerForKey(key, count);
        expect(Number.isInteger(worker) && worker >= 0 && worker < count).toBe(true);
        expect(workerForKey(key, count)).toBe(worker);
        // Exactly the hash modulo the count (workerForKey computes it with 32-bit integers).
        expect(worker).toBe(hashKey(key) % count);
      }),
    );
  });

  it("leaves no worker empty for ten times as many distinct keys", () => {
    for (const count of [2, 3, 4, 8, 16]) {
      const used = new Set(Array.from({ length: 10 * count }, (_, i) => workerForKey(`key-${i}`, count)));
      expect(used.size).toBe(count);
    }
  });
});

const HASHES = { empty: 2872998923, a: 444641715, to: 2997333707, apple: 2973335288, unicode: 4092753695, emoji: 2208423841 };
