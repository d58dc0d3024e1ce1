/**
 * The short soak CI runs: the same code as `npm run soak`, with 8 SIGKILLs (two rounds per
 * reference flow at least), against the built CLI in dist/ (`npm test` builds it first). The seed
 * is printed and in the failure message; `CRASH_SEED=<n>` replays it.
 */

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonical } from "../../scripts/soak/flows.js";
import { tally } from "../../scripts/soak/check.js";
import { runSoak, summaryLine } from "../../scripts/soak/soak.js";
import { BASE_SEED } from "../helpers/seeds.js";
import { REPO } from "../runner/cli.js";

describe("the soak's checker", () => {
  it("counts lost, duplicated and wrong records as multisets", () => {
    const expected = ["a", "b", "b", "c"];
    expect(tally(expected, ["a", "b", "b", "c"])).toEqual({ records: 4, lost: 0, duplicated: 0, wrong: 0 });
    expect(tally(expected, ["a", "b", "c", "c", "x", "x"])).toEqual({ records: 4, lost: 1, duplicated: 1, wrong: 2 });
  });

  it("compares records whatever the key order of their objects", () => {
    expect(canonical(["k", { sum: 1, count: 2 }])).toBe(canonical(JSON.parse('["k",{"count":2,"sum":1}]')));
  });
});

describe("soak (short): SIGKILLs at seeded points over four flows", () => {
  it("loses, duplicates and corrupts no record", async () => {
    const lines: string[] = [];
    const result = await runSoak({ seed: BASE_SEED, kills: 8, maxKillsPerRound: 2, cli: [process.execPath, join(REPO, "dist/node-runner/cli.js")], log: (line) => lines.push(line) });
    const report = `seed ${BASE_SEED} (CRASH_SEED=${BASE_SEED} replays it): ${summaryLine(result)}\n${lines.join("\n")}\n${result.failures.join("\n")}`;
    console.log(report);
    expect(result.failures, report).toEqual([]);
    expect(result.kills, report).toBe(8);
    expect(result.lost + result.duplicated + result.wrong, report).toBe(0);
    expect([...result.perFlow.values()].every((figures) => figures.rounds > 0), report).toBe(true);
  }, 240_000);
});
