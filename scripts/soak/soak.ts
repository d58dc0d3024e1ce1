/**
 * The soak: rounds over the reference flows (scripts/soak/flows.ts), each in a fresh directory
 * with a file recovery store. A round SIGKILLs `eddy run` one to four times at seeded kill points
 * (scripts/soak/killPlan.ts), each re-run resuming from the store, then lets a last run finish and
 * checks every record of the output against the expectation computed without Eddy.
 *
 * Everything random comes from the seed, so a seed replays the same plan (the moment a kill lands
 * still depends on the machine, which is the point of a soak).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { soakFlows, type SoakFlow } from "./flows.js";
import { outputRecords, tally } from "./check.js";
import { describeKill, planKill } from "./killPlan.js";
import { runOnce, type RunOutcome } from "./runOnce.js";
import { prng } from "../../test/helpers/seeds.js";

export interface SoakOptions {
  readonly seed: number;
  /** How many SIGKILLs in all. */
  readonly kills: number;
  /** The command that runs the CLI, before its arguments (e.g. [node, dist/node-runner/cli.js]). */
  readonly cli: readonly string[];
  readonly log: (line: string) => void;
  /** Epoch length of every run, ms. */
  readonly epochLength?: number;
  /** At most this many kills before a round's last run (default 4). */
  readonly maxKillsPerRound?: number;
}

export interface FlowFigures {
  rounds: number;
  kills: number;
  records: number;
  lost: number;
  duplicated: number;
  wrong: number;
}

export interface SoakResult {
  readonly seed: number;
  readonly kills: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly wrong: number;
  /** Runs that ended in a way no kill explains (an error exit, a hang), with their stderr. */
  readonly failures: readonly string[];
  readonly perFlow: ReadonlyMap<string, FlowFigures>;
}

const RUN_TIMEOUT_MS = 120_000;

function describeExit(outcome: RunOutcome): string {
  if (outcome.timedOut) return "timed out";
  return outcome.signal ? `signal ${outcome.signal}` : `exit ${outcome.code}`;
}

/** Runs the soak until `kills` SIGKILLs have landed; never throws for what the runs do. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const random = prng(options.seed);
  const flows = soakFlows();
  const expected = new Map<string, string[]>(flows.map((flow) => [flow.name, flow.expected()]));
  const perFlow = new Map<string, FlowFigures>(flows.map((flow) => [flow.name, { rounds: 0, kills: 0, records: 0, lost: 0, duplicated: 0, wrong: 0 }]));
  const failures: string[] = [];
  let kills = 0;
  let round = 0;
  while (kills < options.kills) {
    const flow = flows[round % flows.length]!;
    round += 1;
    const wanted = Math.min(options.kills - kills, 1 + Math.floor(random() * (options.maxKillsPerRound ?? 4)));
    const landed = await runRound(flow, expected.get(flow.name)!, wanted, random, options, perFlow.get(flow.name)!, failures, round);
    kills += landed;
    if (failures.length > 0) break; // keep what failed (its directory stays) and report it
  }
  const sum = (field: keyof FlowFigures) => [...perFlow.values()].reduce((total, figures) => total + figures[field], 0);
  return { seed: options.seed, kills, lost: sum("lost"), duplicated: sum("duplicated"), wrong: sum("wrong"), failures, perFlow };
}

async function runRound(
  flow: SoakFlow,
  expected: readonly string[],
  wanted: number,
  random: () => number,
  options: SoakOptions,
  figures: FlowFigures,
  failures: string[],
  round: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), `eddy-soak-${flow.name}-`));
  const outDir = join(dir, "out");
  const stateDir = join(dir, "state");
  const path = flow.write(dir);
  const command = [...options.cli, "run", path, "-w", String(flow.workers), "--epoch-length", String(options.epochLength ?? 20), "--recovery-dir", stateDir];
  const steps: string[] = [];
  let landed = 0;
  let finished = false;
  try {
    for (let attempt = 0; attempt < wanted && !finished; attempt++) {
      const kill = planKill(random, expected.length, attempt > 0);
      const outcome = await runOnce({ command, cwd: dir, outDir, stateDir, kill, timeoutMs: RUN_TIMEOUT_MS });
      if (outcome.killed) {
        landed += 1;
        steps.push(`killed ${describeKill(kill)}`);
      } else if (outcome.code === 0) {
        finished = true;
        steps.push(`finished before ${describeKill(kill)}`);
      } else {
        failures.push(`${flow.name}, round ${round}: a run planned to be killed ${describeKill(kill)} ended with ${describeExit(outcome)}:\n${outcome.stderr}`);
        steps.push(`FAILED (${describeExit(outcome)})`);
        options.log(`round ${round} ${flow.name}: ${steps.join(", ")}`);
        return landed;
      }
    }
    if (!finished) {
      const outcome = await runOnce({ command, cwd: dir, outDir, stateDir, timeoutMs: RUN_TIMEOUT_MS });
      if (outcome.code !== 0) {
        failures.push(`${flow.name}, round ${round}: the final run ended with ${describeExit(outcome)}:\n${outcome.stderr}`);
        options.log(`round ${round} ${flow.name}: ${steps.join(", ")}, final run FAILED (${describeExit(outcome)})`);
        return landed;
      }
    }
    const result = tally(expected, outputRecords(outDir));
    figures.rounds += 1;
    figures.kills += landed;
    figures.records += result.records;
    figures.lost += result.lost;
    figures.duplicated += result.duplicated;
    figures.wrong += result.wrong;
    const verdict = result.lost + result.duplicated + result.wrong === 0 ? "all records exactly once" : `LOST ${result.lost}, DUPLICATED ${result.duplicated}, WRONG ${result.wrong} (kept in ${dir})`;
    options.log(`round ${round} ${flow.name}: ${steps.join(", ")}; ${result.records} records: ${verdict}`);
    if (result.lost + result.duplicated + result.wrong > 0) failures.push(`${flow.name}, round ${round}: ${verdict}`);
    return landed;
  } finally {
    if (failures.length === 0) rmSync(dir, { recursive: true, force: true });
  }
}

/** The closing line: `N kills, 0 lost, 0 duplicated, 0 wrong`. */
export function summaryLine(result: SoakResult): string {
  return `${result.kills} kills, ${result.lost} lost, ${result.duplicated} duplicated, ${result.wrong} wrong`;
}
