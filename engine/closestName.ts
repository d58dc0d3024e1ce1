/**
 * "Did you mean": the known name closest to a misspelt one by edit distance (Levenshtein, case
 * ignored), when it is within `maxDistance`. Used for step ids and Kafka property names. Never
 * suggests the name itself, nor a name of `exclude` (the step that names an upstream step must not
 * be offered as its own upstream).
 *
 * @example
 * closestName("cuont", ["count", "sum"], 2); // "count"
 * closestName("word", ["words", "lines"], 2, ["words"]); // undefined: "words" is the step itself
 */

export function closestName(name: string, candidates: readonly string[], maxDistance: number, exclude: readonly string[] = []): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (candidate === name || exclude.includes(candidate)) continue;
    if (Math.abs(candidate.length - wanted.length) > maxDistance) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The Levenshtein distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
