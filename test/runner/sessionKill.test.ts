/**
 * SIGKILL in the middle of open session windows, then `eddy run` again with the same
 * --recovery-dir, with the real CLI: the flow (fixtures/paced-sessions.json) keeps every user's
 * session open over many epochs (sessions of ten clicks five minutes apart, two hours between
 * sessions, 20 ms epochs), and sends clicks that are behind their user's watermark to a late output.
 * Kills come at seeded random moments, mid-flow. Once a run finishes, both output files hold
 * exactly what an uninterrupted run writes (each line once), and that is what the data implies,
 * computed here without Eddy. `CRASH_SEED=<n>` replays a seed (kill times still depend on the
 * machine's speed).
 */

import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, fixtureCopy, removeTemporaryDirectories } from "./cli.js";
import { eddyUntilFinished, outputBytes, outputs } from "./killedRuns.js";
import { BASE_SEED, prng } from "../helpers/seeds.js";

afterAll(removeTemporaryDirectories);

/** 40 users (each user's lines land on one worker with 1, 2 or 4 workers), 300 clicks each. */
const USERS = 40;
const ITEMS = 12_000;
const GAP_MINUTES = 30;
const KILLS = 3;
const MAX_ATTEMPTS = 12;

interface Click {
  readonly seq: number;
  readonly user: string;
  readonly minute: number;
}

/** Click j of a user is at 5 j minutes, plus two hours after every ten; every 97th click is four hours behind. */
const CLICKS: readonly Click[] = Array.from({ length: ITEMS }, (_, seq) => {
  const j = Math.floor(seq / USERS);
  const minute = j * 5 + Math.floor(j / 10) * 120 - (seq % 97 === 0 && j > 0 ? 240 : 0);
  return { seq, user: `u${seq % USERS}`, minute };
});
const DATA = CLICKS.map(({ seq, user, minute }) => `${seq},${user},${minute}\n`).join("");

/** What the data implies: per user, a click behind the latest one seen is late; the others form sessions of times at most the gap apart. */
function expectedFiles(): { sessions: string[]; late: string[] } {
  const sessions: string[] = [];
  const late: string[] = [];
  const byUser = new Map<string, Click[]>();
  for (const click of CLICKS) byUser.set(click.user, [...(byUser.get(click.user) ?? []), click]);
  for (const [user, clicks] of byUser) {
    let latest = -Infinity;
    let open: Click[] = [];
    const close = () => {
      if (open.length === 0) return;
      const value = { clicks: open.length, seqs: open.reduce((total, click) => total + click.seq, 0) };
      sessions.push(JSON.stringify([user, [open[0]!.minute * 60_000, open[open.length - 1]!.minute * 60_000, value]]));
      open = [];
    };
    for (const click of clicks) {
      if (click.minute < latest) {
        late.push(JSON.stringify([user, { seq: click.seq, t: click.minute * 60_000 }]));
        continue;
      }
      if (open.length > 0 && click.minute - open[open.length - 1]!.minute > GAP_MINUTES) close();
      open.push(click);
      latest = click.minute;
    }
    close();
  }
  return { sessions: sessions.sort(), late: late.sort() };
}

function setup(workers: number): { args: string[]; outDir: string } {
  const flow = fixtureCopy("paced-sessions", { "data/clicks.csv": DATA });
  const dir = dirname(flow);
  return { outDir: join(dir, "out"), args: ["run", flow, "-w", String(workers), "--epoch-length", "20", "--recovery-dir", join(dir, "state")] };
}

/** The lines of the files of one capture (`sessions` or `late`, over every worker's file), sorted. */
function captured(files: Map<string, string[]>, name: string): string[] {
  return [...files].flatMap(([file, content]) => (file.startsWith(`${name}.`) ? content : [])).sort();
}

describe("SIGKILL in the middle of open sessions, then `eddy run` again with the same --recovery-dir", () => {
  console.log(`session kill test seed: ${BASE_SEED} (replay with CRASH_SEED=${BASE_SEED})`);
  const expected = expectedFiles();

  it("the data has sessions open across many epochs, and late clicks", () => {
    expect(expected.sessions.length).toBe(USERS * 30);
    expect(expected.late.length).toBeGreaterThan(100);
  });

  for (const workers of [1, 2]) {
    it.concurrent(`-w ${workers}: both outputs hold every line exactly once, as an uninterrupted run's, as the data implies`, { timeout: 120_000 }, async () => {
      const random = prng((BASE_SEED + workers * 0x51ed27) >>> 0);
      const reference = setup(workers);
      // How long an uninterrupted run writes output: from its first output to its exit.
      let outputAt = 0;
      const poll = setInterval(() => {
        if (outputAt === 0 && outputBytes(reference.outDir) > 0) outputAt = performance.now();
      }, 5);
      const uninterrupted = await eddy(reference.args, { timeoutMs: 60_000 });
      clearInterval(poll);
      const flowMs = performance.now() - outputAt;
      expect(outputAt, "the reference run wrote output before it ended").toBeGreaterThan(0);
      expect(uninterrupted.code, describeRun(uninterrupted)).toBe(0);
      const files = outputs(reference.outDir);
      expect(captured(files, "sessions")).toEqual(expected.sessions);
      expect(captured(files, "late")).toEqual(expected.late);

      const log: string[] = [];
      const where = () => `seed ${BASE_SEED} (CRASH_SEED=${BASE_SEED}), -w ${workers}; attempts: ${log.join("; ")}`;
      const { args, outDir } = setup(workers);
      // Kill until KILLS kills hit the store (an attempt may finish before its kill), then run to the end.
      const kills = await eddyUntilFinished({ args, kills: KILLS, maxAttempts: MAX_ATTEMPTS, timeoutMs: 60_000, log, where }, () => {
        // Once this attempt changed the output (a restart first cuts the files back), at a moment within the flow.
        const at = random() * 0.6 * flowMs;
        const sizeBefore = outputBytes(outDir);
        return {
          options: { killAfterMs: at, killWhen: () => outputBytes(outDir) !== sizeBefore },
          describe: (result) => `kill ${at.toFixed(0)} ms after output: ${result.killed ? "killed" : `exit ${result.code}`}`,
        };
      });
      expect(kills, `${where()}: no kill hit the run`).toBeGreaterThan(0);
      const resumed = outputs(outDir);
      expect([...resumed.keys()], where()).toEqual([...files.keys()]);
      for (const [name, content] of files) {
        const got = resumed.get(name)!;
        expect(got.filter((line, i) => i > 0 && got[i - 1] === line).slice(0, 5), `${where()}: ${name} holds lines twice`).toEqual([]);
        expect(got, `${where()}: ${name}`).toEqual(content);
      }
      console.log(`session kill test, -w ${workers}, seed ${BASE_SEED}: ${log.join("; ")}`);
    });
  }
});
