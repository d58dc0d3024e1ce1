/**
 * Where the soak kills a run, chosen with a seeded generator. Every kill point is an observable
 * state of the run, never a fraction of how long a run takes on this machine:
 *
 * - `startup`: a seeded delay after the process started (it may be compiling, preparing the
 *   store, or already running);
 * - `output`: once the output files hold a seeded number of lines;
 * - `commit`: the moment a recovery partition file changes after output has started (an epoch
 *   commit is being written or has just been: the closest a poll from outside gets to "during");
 * - `resume`: a seeded short delay after a re-run said where it starts ("resuming at epoch N", or
 *   "from the start" when the run before it was killed before its first commit).
 */

export type KillPoint =
  | { readonly kind: "startup"; readonly afterMs: number }
  | { readonly kind: "output"; readonly lines: number }
  | { readonly kind: "commit"; readonly afterCommits: number }
  | { readonly kind: "resume"; readonly afterMs: number };

/** The kill point of one run; `resuming` says whether the run will resume from a store. */
export function planKill(random: () => number, expectedLines: number, resuming: boolean): KillPoint {
  const roll = random();
  if (resuming && roll < 0.25) return { kind: "resume", afterMs: Math.floor(random() * 60) };
  if (roll < 0.4) return { kind: "startup", afterMs: 100 + Math.floor(random() * 900) };
  if (roll < 0.7) return { kind: "commit", afterCommits: 1 + Math.floor(random() * 20) };
  return { kind: "output", lines: 1 + Math.floor(random() * expectedLines * 0.95) };
}

export function describeKill(point: KillPoint): string {
  switch (point.kind) {
    case "startup":
      return `${point.afterMs} ms after start`;
    case "output":
      return `at ${point.lines} output lines`;
    case "commit":
      return `during commit ${point.afterCommits}`;
    case "resume":
      return `${point.afterMs} ms into a resume`;
  }
}
