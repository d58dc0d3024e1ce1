/**
 * `npm run soak [-- --seed N --kills N]`: SIGKILLs `eddy run` at seeded points over four reference
 * flows with file recovery and checks every record (scripts/soak/soak.ts). Builds first (the runs
 * use dist/, which starts faster). Exits 1 when any record is lost, duplicated or wrong, or a run
 * failed in a way no kill explains.
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runSoak, summaryLine } from "./soak/soak.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { seed: { type: "string" }, kills: { type: "string" }, "epoch-length": { type: "string" } } });
const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
const kills = values.kills !== undefined ? Number(values.kills) : 400;
if (!Number.isSafeInteger(kills) || kills < 1) {
  process.stderr.write("soak: --kills must be a positive integer\n");
  process.exit(2);
}
const cli = join(root, "dist/node-runner/cli.js");
if (!existsSync(cli)) {
  process.stderr.write("soak: dist/ is missing; run `npm run build` (npm run soak does)\n");
  process.exit(2);
}

process.stdout.write(`soak: seed ${seed}, ${kills} kills (replay: npm run soak -- --seed ${seed} --kills ${kills})\n`);
const started = performance.now();
const result = await runSoak({
  seed,
  kills,
  cli: [process.execPath, cli],
  epochLength: values["epoch-length"] !== undefined ? Number(values["epoch-length"]) : 20,
  log: (line) => process.stdout.write(`${line}\n`),
});
for (const [name, figures] of result.perFlow) {
  process.stdout.write(`  ${name}: ${figures.rounds} rounds, ${figures.kills} kills, ${figures.records} records checked, ${figures.lost} lost, ${figures.duplicated} duplicated, ${figures.wrong} wrong\n`);
}
for (const failure of result.failures) process.stdout.write(`FAILURE: ${failure}\n`);
process.stdout.write(`${summaryLine(result)} (seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
process.exit(result.failures.length === 0 && result.lost + result.duplicated + result.wrong === 0 ? 0 : 1);
