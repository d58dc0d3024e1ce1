/**
 * The SIGKILL-and-resume loop of the crash tests (test/runner/joinKill, test/runner/sessionKill
 * through test/runner/killedRuns.ts, and test/recovery/crash/sigkill): attempts run one after
 * another on the same recovery store, and each one that was killed is followed by another, until
 * an attempt ends on its own, or `maxAttempts` have run. How an attempt runs and when it is
 * SIGKILLed (by its PID, at a seeded moment) is the caller's `run`; this counts the kills, and
 * once `kills` of them hit, asks for attempts without one.
 */

/** What the loop reads of an attempt: whether it was killed on purpose. */
export interface KillableAttempt {
  readonly killed: boolean;
}

export interface KillAndResume<R extends KillableAttempt> {
  /** How many attempts to kill; Infinity when `run` decides every time. */
  readonly kills: number;
  readonly maxAttempts: number;
  /** Names the test (seed, worker count, attempts so far) in the failure when no attempt finished. */
  readonly where: () => string;
  /** Runs attempt number `attempt` (from 1); `kill` says whether it is to be killed (fewer than `kills` kills so far). */
  readonly run: (attempt: number, kill: boolean) => Promise<R>;
}

/**
 * Runs attempts until one is not killed; returns it, its number and how many were killed. Throws
 * when `maxAttempts` attempts were all killed.
 *
 * @example
 * const { finished, kills } = await killAndResume({ kills: 2, maxAttempts: 10, where, run: (attempt, kill) => eddy(args, kill ? { killAfterMs: random() * 500 } : {}) });
 * expect(finished.code).toBe(0);
 */
export async function killAndResume<R extends KillableAttempt>(loop: KillAndResume<R>): Promise<{ readonly finished: R; readonly attempt: number; readonly kills: number }> {
  let kills = 0;
  for (let attempt = 1; attempt <= loop.maxAttempts; attempt++) {
    const result = await loop.run(attempt, kills < loop.kills);
    if (!result.killed) return { finished: result, attempt, kills };
    kills += 1;
  }
  throw new Error(`${loop.where()}: no run finished in ${loop.maxAttempts} attempts`);
}
