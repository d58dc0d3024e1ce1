/**
 * Seeded randomness for crash tests: every run prints its seed, and `CRASH_SEED=<seed>` replays it.
 */

/** The run's seed: CRASH_SEED when set, else a fresh one. */
export const BASE_SEED =
  process.env["CRASH_SEED"] !== undefined ? Number(process.env["CRASH_SEED"]) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
