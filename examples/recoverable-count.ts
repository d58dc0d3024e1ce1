/**
 * Recovery by hand: a running total per account that you can crash and resume.
 *
 *   npx tsx examples/recoverable-count.ts --crash-at 6    # fails while processing transaction 6
 *   npx tsx examples/recoverable-count.ts                 # resumes where it failed
 *   npx tsx examples/recoverable-count.ts --fresh         # deletes the saved state first
 *
 * State is saved to ./recoverable-count.state (or --state DIR) with FileRecoveryConfig at the end
 * of every epoch;
 * testing epochs make one epoch per transaction. A resumed run starts at the epoch that failed,
 * with each account's total as it was at the end of the epoch before.
 */

import { rmSync } from "node:fs";
import { Dataflow } from "eddy/dataflow";
import { runMain, TestingEpochConfig } from "eddy/execution";
import { TestingInputConfig } from "eddy/inputs";
import { ManualEpochOutputConfig } from "eddy/outputs";
import { FileRecoveryConfig } from "eddy/recovery";

const argv = process.argv.slice(2);
const crashAt = argv.includes("--crash-at") ? Number(argv[argv.indexOf("--crash-at") + 1]) : -1;
const stateDir = argv.includes("--state") ? argv[argv.indexOf("--state") + 1]! : "recoverable-count.state";
if (argv.includes("--fresh")) rmSync(stateDir, { recursive: true, force: true });

const transactions: [account: string, amount: number][] = [
  ["alice", 100], ["bob", 20], ["alice", -30], ["carol", 75], ["bob", 5],
  ["alice", 12], ["carol", -25], ["bob", 40], ["alice", 8], ["carol", 10],
];

const flow = new Dataflow()
  .input("transactions", new TestingInputConfig(transactions.map((t, i) => [i, t] as const)))
  .map(([i, [account, amount]]: [number, [string, number]]) => {
    if (i === crashAt) throw new Error(`crashing on transaction ${i}, as asked`);
    return [account, amount];
  })
  .statefulMap("balance", () => 0, (balance: number, amount: number) => [balance + amount, balance + amount])
  .capture(new ManualEpochOutputConfig(() => ([epoch, [account, balance]]: [number, [string, number]]) => {
    console.log(`epoch ${epoch}: ${account} ${balance}`);
  }));

try {
  await runMain(flow, { epochConfig: new TestingEpochConfig(), recoveryConfig: new FileRecoveryConfig(stateDir) });
} catch (error) {
  console.error(`failed: ${(error as Error).message}; run again without --crash-at to resume`);
  process.exit(1);
}
