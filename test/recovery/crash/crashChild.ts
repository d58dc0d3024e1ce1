/**
 * The program the SIGKILL test runs in a child process:
 *
 *   node --import tsx test/recovery/crash/crashChild.ts <storeDir> <outFile> <workers>
 *
 * (`node_modules/.bin/tsx crashChild.ts ...` works too, but the tsx CLI runs the program in a
 * grandchild process, which a SIGKILL of the CLI would orphan; the test uses `node --import tsx`.)
 *
 * A keyed running sum over the fixed input of crashFlow.ts, with 20 ms periodic epochs and a file
 * recovery store. The input is paced (a bare `undefined`, "no data yet", until an item is due) so
 * that a run takes about CRASH_RUN_MS (default 1200 ms) and kills land mid-run. Every output item is
 * appended to `outFile` as one JSON line `{"epoch","item","attempt"}` with `appendFileSync`, so
 * whatever was emitted before a SIGKILL is on disk. The attempt number comes from CRASH_ATTEMPT.
 *
 * Prints `START` just before the run starts (the test aims "kills during resume" from it) and, on
 * success, `DONE {"sums":{key: last sum this attempt emitted}}`.
 */

import { appendFileSync } from "node:fs";
import { Dataflow } from "../../../engine/api/dataflow.js";
import { ManualInputConfig } from "../../../engine/api/inputs.js";
import { ManualEpochOutputConfig } from "../../../engine/api/outputs.js";
import { FileRecoveryConfig } from "../../../engine/api/recovery.js";
import { PeriodicEpochConfig, clusterMain, runMain } from "../../../node-runner/entries/execution.js";
import { ITEM_COUNT, keyOf, valueOf } from "./crashFlow.js";

const [storeDir, outFile, workersArg] = process.argv.slice(2);
if (!storeDir || !outFile || !workersArg) {
  process.stderr.write("usage: crashChild.ts <storeDir> <outFile> <workers>\n");
  process.exit(2);
}
const workers = Number(workersArg);
const attempt = Number(process.env["CRASH_ATTEMPT"] ?? "1");
const runMs = Number(process.env["CRASH_RUN_MS"] ?? "1200");

/** Worker `w` of `n` reads positions w, w + n, ...; its resume state is the position it reads next. */
function* paced(workerIndex: number, workerCount: number, resumeState: unknown): Generator<[number, [string, number]] | undefined> {
  const started = performance.now();
  const perItemMs = runMs / Math.ceil(ITEM_COUNT / workerCount);
  let pos = typeof resumeState === "number" ? resumeState : workerIndex;
  let emitted = 0;
  while (pos < ITEM_COUNT) {
    if (performance.now() - started < emitted * perItemMs) {
      yield undefined;
      continue;
    }
    const item: [string, number] = [keyOf(pos), valueOf(pos)];
    pos += workerCount;
    emitted += 1;
    yield [pos, item];
  }
}

const lastSums: Record<string, number> = {};

const flow = new Dataflow()
  .input("numbers", new ManualInputConfig(paced))
  .statefulMap(
    "running_sum",
    () => 0,
    (sum: number, value: number) => {
      const next = sum + value;
      return [next, next];
    },
  )
  .capture(
    new ManualEpochOutputConfig(() => ([epoch, item]) => {
      const [key, sum] = item as [string, number];
      lastSums[key] = sum;
      appendFileSync(outFile, `${JSON.stringify({ epoch, item, attempt })}\n`);
    }),
  );

const options = { epochConfig: new PeriodicEpochConfig(20), recoveryConfig: new FileRecoveryConfig(storeDir) };
process.stdout.write("START\n");
if (workers === 1) await runMain(flow, options);
else await clusterMain(flow, [], 0, { ...options, workerCountPerProc: workers });
process.stdout.write(`DONE ${JSON.stringify({ sums: lastSums })}\n`);
