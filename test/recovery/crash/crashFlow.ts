/**
 * The crash test's input, shared by the child program and the test: a fixed list of keyed items
 * whose running sums per key are known in advance. Item `pos` has key `k<pos mod KEYS>`; with KEYS
 * even and 1 or 2 workers, worker `w` of `n` reads the positions `w, w + n, ...`, so every item of a
 * key comes from one input worker, in order, and per-key order is the same on any run.
 */

export const ITEM_COUNT = 3000;
export const KEY_COUNT = 50;

export function keyOf(pos: number): string {
  return `k${pos % KEY_COUNT}`;
}

/** A positive value (1..97), so a key's running sums strictly increase and each `[key, sum]` is unique. */
export function valueOf(pos: number): number {
  let x = (pos + 1) * 0x9e3779b1;
  x = Math.imul(x ^ (x >>> 15), 0x85ebca6b);
  x ^= x >>> 13;
  return 1 + ((x >>> 0) % 97);
}

/** Every `[key, sum]` an uninterrupted run emits, and the final sum per key. */
export function expectedOutputs(): { outputs: Set<string>; finals: Map<string, number> } {
  const outputs = new Set<string>();
  const finals = new Map<string, number>();
  for (let pos = 0; pos < ITEM_COUNT; pos++) {
    const key = keyOf(pos);
    const sum = (finals.get(key) ?? 0) + valueOf(pos);
    finals.set(key, sum);
    outputs.add(JSON.stringify([key, sum]));
  }
  return { outputs, finals };
}
