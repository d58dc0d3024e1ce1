/** Synthetic benchmark data from a fixed seed, the same on every machine. */

/** A small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `wordCount` words from a vocabulary of `vocabulary` words, skewed like text, 10 words a line. */
export function textLines(wordCount: number, vocabulary = 10_000, seed = 42): string[] {
  const random = seededRandom(seed);
  const words = Array.from({ length: vocabulary }, (_, i) => `w${i.toString(36)}`);
  const lines: string[] = [];
  let line: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    // Squaring skews toward low indices: a few frequent words, a long tail.
    line.push(words[Math.floor(random() ** 2 * vocabulary)]!);
    if (line.length === 10) {
      lines.push(line.join(" "));
      line = [];
    }
  }
  if (line.length > 0) lines.push(line.join(" "));
  return lines;
}
