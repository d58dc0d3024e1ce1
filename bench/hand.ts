/**
 * The practical limit: each workload as one hand-written JavaScript loop that computes the items
 * from their indices (as every contender does) and does the workload's work inline, with no
 * allocation beyond what the workload itself needs (the string keys, W4's JSON strings).
 * Each returns the workload's checksum (bench/WORKLOADS.md).
 */

import { JOIN_KEYS, W5_GAP_MS, mix, type Workload } from "./workloads.js";

/** W1: map x*3, filter even, map x+1, sum. */
export function handW1(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = (mix(i) % 1000) * 3;
    if (x % 2 === 0) sum += x + 1;
  }
  return sum;
}

/** W2: the running sum per string key, every update emitted (and summed). */
export function handW2(n: number): number {
  const sums = new Map<string, number>();
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    const m = mix(i);
    const key = "k" + (m % 10000);
    const sum = (sums.get(key) ?? 0) + (m % 100);
    sums.set(key, sum);
    checksum += sum;
  }
  return checksum;
}

/** A key's open window in the hand loops of W3 and W4 (mutated in place: one object per key). */
interface OpenWindow {
  index: number;
  count: number;
}

/**
 * W3: per word, the count in its current 1 s window; items arrive in time order, so a word's
 * window closes when the word's next item falls in a later window, and every window at the end.
 */
export function handW3(n: number): number {
  const open = new Map<string, OpenWindow>();
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    const word = "w" + (mix(i) % 1000);
    const index = Math.trunc(i / 1000);
    const window = open.get(word);
    if (window === undefined) {
      open.set(word, { index, count: 1 });
    } else if (window.index === index) {
      window.count += 1;
    } else {
      checksum += window.count * window.count;
      window.index = index;
      window.count = 1;
    }
  }
  for (const window of open.values()) checksum += window.count * window.count;
  return checksum;
}

/** W4: W3 with each item a JSON string parsed first, and each output serialized to JSON. */
export function handW4(n: number): number {
  const open = new Map<string, OpenWindow>();
  let checksum = 0;
  const emit = (word: string, count: number) => {
    const text = JSON.stringify({ word, count });
    checksum += count * count + text.length;
  };
  for (let i = 0; i < n; i++) {
    const line = JSON.stringify({ word: "w" + (mix(i) % 1000), t: i });
    const { word, t } = JSON.parse(line) as { word: string; t: number };
    const index = Math.trunc(t / 1000);
    const window = open.get(word);
    if (window === undefined) {
      open.set(word, { index, count: 1 });
    } else if (window.index === index) {
      window.count += 1;
    } else {
      emit(word, window.count);
      window.index = index;
      window.count = 1;
    }
  }
  for (const [word, window] of open) emit(word, window.count);
  return checksum;
}

/** A key's open session in the hand loop of W5 (mutated in place: one object per key). */
interface OpenSession {
  count: number;
  first: number;
  last: number;
}

/**
 * W5: per key, the session its items make while they come at most W5_GAP_MS apart; items arrive in
 * time order, so a key's session closes when its next item comes later than that, and every
 * session at the end. Each session adds count * count + (last - first).
 */
export function handW5(n: number): number {
  const open = new Map<string, OpenSession>();
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    const key = "k" + (mix(i) % 10000);
    const session = open.get(key);
    if (session === undefined) {
      open.set(key, { count: 1, first: i, last: i });
    } else if (i - session.last <= W5_GAP_MS) {
      session.count += 1;
      session.last = i;
    } else {
      checksum += session.count * session.count + session.last - session.first;
      session.count = 1;
      session.first = i;
      session.last = i;
    }
  }
  for (const session of open.values()) checksum += session.count * session.count + session.last - session.first;
  return checksum;
}

/** A key's latest value of each side in the hand loop of J (-1: none yet). */
interface JoinedPair {
  left: number;
  right: number;
}

/**
 * J: items alternate sides (item i is side i % 2, its index on that side j = i >> 1); each updates
 * its key's pair and emits the row, whose contribution is added to the checksum.
 */
export function handJ(n: number): number {
  const pairs = new Map<string, JoinedPair>();
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    const j = i >>> 1;
    const m = mix(j);
    const left = (i & 1) === 0;
    const key = "k" + (left ? j % JOIN_KEYS : (j + JOIN_KEYS / 2) % JOIN_KEYS);
    let pair = pairs.get(key);
    if (pair === undefined) {
      pair = { left: -1, right: -1 };
      pairs.set(key, pair);
    }
    if (left) pair.left = m % 100;
    else pair.right = (m >>> 8) % 100;
    checksum += (pair.left + 1) * 101 + (pair.right + 1);
  }
  return checksum;
}

export const HAND: Readonly<Record<Workload, (n: number) => number>> = { W1: handW1, W2: handW2, W3: handW3, W4: handW4, W5: handW5, J: handJ };
