/** How deep a value is nested, measured without recursion (for a value too deep to serialize). */

/** The most objects `nestingDepth` visits before it answers "at least" what it found. */
const MAX_VISITS = 1_000_000;

/**
 * The nesting depth of arrays and objects in `value` (1 for `[1]`, 2 for `[[1]]`), measured with
 * an explicit stack so that it works where recursion overflowed. Cycles and shared parts count once.
 */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const seen = new Set<object>();
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0 && seen.size < MAX_VISITS) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    try {
      for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, inner]);
    } catch {
      // A Proxy whose traps throw: its insides are not counted.
    }
  }
  return deepest;
}
