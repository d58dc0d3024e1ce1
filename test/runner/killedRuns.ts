/**
 * `eddy run` SIGKILLed and run again on the same --recovery-dir until a run finishes (the loop is
 * test/helpers/killAndResume.ts), and the `file` outputs such runs write: what the runner's kill
 * tests (joinKill, sessionKill) share. Every attempt has a hard timeout; a kill is by PID (cli.ts).
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { describeRun, eddy, filesIn, lines, type CliOptions, type CliResult } from "./cli.js";
import { killAndResume } from "../helpers/killAndResume.js";

/** The total size of the files in `outDir` (0 before it exists). */
export function outputBytes(outDir: string): number {
  return existsSync(outDir) ? readdirSync(outDir).reduce((total, name) => total + statSync(join(outDir, name)).size, 0) : 0;
}

/** Each output file's lines, sorted, by file name. */
export function outputs(outDir: string): Map<string, string[]> {
  return new Map([...filesIn(outDir, /\.jsonl$/)].map(([name, text]) => [name, lines(text).sort()]));
}

/** How to kill one attempt: the kill options of `eddy` (cli.ts), and the attempt's log entry once it ended. */
export interface PlannedKill {
  readonly options: Pick<CliOptions, "killAfterMs" | "killWhen">;
  readonly describe: (result: CliResult) => string;
}

export interface KilledRuns {
  /** `eddy` arguments: `run FLOW ... --recovery-dir DIR`, the same for every attempt. */
  readonly args: string[];
  readonly kills: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** Gets one entry per attempt. */
  readonly log: string[];
  readonly where: () => string;
}

/**
 * Runs `eddy args` until a run finishes: attempts killed as `plan` says (the seeded kill of the
 * next attempt, asked for just before it starts) until `kills` kills hit (an attempt may finish
 * before its kill), then one without a kill. No attempt may time out, and the one that finishes
 * must exit 0. Returns how many attempts were killed.
 *
 * @example
 * const kills = await eddyUntilFinished({ args, kills: 2, maxAttempts: 10, timeoutMs: 60_000, log, where }, () => ({
 *   options: { killAfterMs: random() * 500 },
 *   describe: (result) => (result.killed ? "killed" : `exit ${result.code}`),
 * }));
 */
export async function eddyUntilFinished(runs: KilledRuns, plan: () => PlannedKill): Promise<number> {
  const { args, timeoutMs, log, where } = runs;
  const { kills } = await killAndResume({
    kills: runs.kills,
    maxAttempts: runs.maxAttempts,
    where,
    run: async (attempt, kill) => {
      let result: CliResult;
      if (kill) {
        const planned = plan();
        result = await eddy(args, { timeoutMs, ...planned.options });
        log.push(`#${attempt} ${planned.describe(result)}`);
      } else {
        result = await eddy(args, { timeoutMs });
        log.push(`#${attempt} no kill: exit ${result.code}`);
      }
      expect(result.timedOut, `${where()}: ${describeRun(result)}`).toBe(false);
      if (!result.killed) expect(result.code, `${where()}: ${describeRun(result)}`).toBe(0);
      return result;
    },
  });
  return kills;
}
