/**
 * One measurement in its own process, so that peak RSS is this contender's alone:
 *
 *   node dist/bench/child.js <W1|W2|W3|W4|W5|J> <hand|batch|eddy|flow|runner> <N> [--workers W] [--procs P] [--scaling] [--epoch-ms MS] [--recovery]
 *   node dist/bench/child.js W3 runner <N> --parts P
 *   node dist/bench/child.js W1 first 0 [--recovery] [--without-extra-ca]
 *   node dist/bench/child.js W1 node 0 [--without-extra-ca]
 *
 * Prints one JSON line, the same as the peers' (bench/peers/):
 * {"workload","contender","items","seconds","checksum","maxRssKb","version"}. `seconds` is the
 * workload's run (input generation included, process start-up excluded), except for `runner`,
 * which is wall time from spawning `eddy run` to its exit. `--workers` and `--scaling` (the flow
 * of workload S, bench/flows.ts) are for `runner` only; `--epoch-ms` and `--recovery` for `eddy`
 * only (workload R). `--parts P` runs P independent `eddy run -w 1` processes at once, each on
 * its part of the scaling flow (bench/runner.ts runParts: the machine's ceiling). `flow` runs the runner's flow file with runMain (bench/flowMain.ts). `first`
 * times `eddy run` from spawn to its first item (bench/firstItem.ts; `--recovery`: with a file
 * store made by an earlier run), `node` a bare `node -e` printing a line the same way (Node's own
 * start); `--without-extra-ca` runs either without NODE_EXTRA_CA_CERTS. `seconds` is that time,
 * `checksum` 0.
 */

import { readFileSync } from "node:fs";
import { runEddy } from "./eddy.js";
import { HAND } from "./hand.js";
import { runBareNode, runFirstItem } from "./firstItem.js";
import { runFlowMain } from "./flowMain.js";
import { runParts, runRunner } from "./runner.js";
import { isWorkload } from "./workloads.js";

export interface ChildResult {
  readonly workload: string;
  readonly contender: string;
  readonly items: number;
  readonly seconds: number;
  readonly checksum: number;
  readonly maxRssKb: number;
  readonly version: string;
}

const USAGE = "usage: node dist/bench/child.js <W1|W2|W3|W4|W5|J> <hand|batch|eddy|flow|runner|first|node> <N> [--workers W] [--procs P] [--parts P] [--scaling] [--epoch-ms MS] [--recovery] [--without-extra-ca]";

function option(args: readonly string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} needs a positive integer\n${USAGE}`);
  return value;
}

async function main(args: readonly string[]): Promise<ChildResult> {
  const [workload, contender, count] = args;
  const items = Number(count);
  if (workload === undefined || !isWorkload(workload) || !Number.isSafeInteger(items) || items < 0) throw new Error(USAGE);
  const eddyVersion = `eddy ${(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version}, node ${process.version}`;
  const result = (seconds: number, checksum: number, maxRssKb: number, version: string): ChildResult => ({ workload, contender: contender!, items, seconds, checksum, maxRssKb, version });
  switch (contender) {
    case "hand": {
      const started = performance.now();
      const checksum = HAND[workload](items);
      return result((performance.now() - started) / 1000, checksum, process.resourceUsage().maxRSS, `node ${process.version}`);
    }
    case "batch":
    case "eddy": {
      const epochMs = option(args, "--epoch-ms");
      const batched = contender === "batch";
      const { checksum, seconds } = await runEddy(workload, items, { batched, recovery: args.includes("--recovery"), ...(epochMs !== undefined && { epochMs }) });
      return result(seconds, checksum, process.resourceUsage().maxRSS, eddyVersion);
    }
    case "flow": {
      const { checksum, seconds } = await runFlowMain(workload, items);
      return result(seconds, checksum, process.resourceUsage().maxRSS, eddyVersion);
    }
    case "first": {
      const withoutExtraCa = args.includes("--without-extra-ca");
      const { firstItemSeconds } = await runFirstItem({ recovery: args.includes("--recovery"), withoutExtraCa });
      return result(firstItemSeconds, 0, 0, eddyVersion);
    }
    case "node": {
      const { firstItemSeconds } = await runBareNode({ withoutExtraCa: args.includes("--without-extra-ca") });
      return result(firstItemSeconds, 0, 0, `node ${process.version}`);
    }
    case "runner": {
      const parts = option(args, "--parts");
      if (parts !== undefined) {
        const { checksum, seconds, maxRssKb } = await runParts(workload, items, parts);
        return result(seconds, checksum, maxRssKb, eddyVersion);
      }
      const { checksum, seconds, maxRssKb } = await runRunner(workload, items, option(args, "--workers") ?? 1, args.includes("--scaling"), option(args, "--procs"));
      return result(seconds, checksum, maxRssKb, eddyVersion);
    }
    default:
      throw new Error(USAGE);
  }
}

try {
  process.stdout.write(`${JSON.stringify(await main(process.argv.slice(2)))}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
