/**
 * The `eddy` command line:
 *
 *   eddy run FLOW.json [-w N] [--recovery-dir DIR] [--epoch-length MS] [--fresh] [--metrics-port N]
 *   eddy validate FLOW.json
 *
 * Progress and errors go to standard error; standard output carries only what `stdout` outputs
 * write. Exit codes: exitCodes.ts. Running a flow file runs the code in it: run only files you trust.
 */

import { Command, CommanderError, InvalidArgumentError } from "commander";
import { runCommand } from "./commands/run.js";
import { validateCommand } from "./commands/validate.js";
import { EXIT } from "./exitCodes.js";

const EXAMPLES = `
Examples:
  eddy run examples/wordcount.json                  run a flow on one worker thread
  eddy run examples/wordcount.json -w 4             ... on 4 worker threads
  eddy run flow.json --recovery-dir ./state         resumable: run again after a crash or Ctrl-C to continue
  eddy run flow.json --recovery-dir ./state --fresh discard the saved state and start over
  eddy run flow.json --epoch-length 1000            commit an epoch every second (default: the file's, else 10 s)
  eddy run flow.json --metrics-port 9464            Prometheus metrics on http://127.0.0.1:9464/metrics while it runs
  eddy validate flow.json                           list every problem of a flow file

Exit codes:
  0    done              1    internal error            2    invalid flow file or command line
  3    a flow function, input or output failed         4    the recovery store refused or failed
  130  interrupted (SIGINT/SIGTERM): stopped at an epoch boundary; with recovery, run again to continue

A flow file is a program: running it runs its functions with your rights. The functions are
compiled in a node:vm context without require or process, which guards against accidents; it is
not a sandbox.
`;

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError("must be a positive integer");
  return number;
}

function port(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > 65535) throw new InvalidArgumentError("must be a port number from 1 to 65535");
  return number;
}

function milliseconds(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError("must be a positive number of milliseconds");
  return number;
}

function exitWith(code: number): never {
  process.exit(code);
}

const program = new Command("eddy")
  .description("Runs Eddy flow files: dataflows with the semantics of Bytewax 0.11.")
  .exitOverride()
  .showHelpAfterError("(eddy --help for usage)")
  .addHelpText("after", EXAMPLES);

program
  .command("run")
  .description("run a flow file until its inputs end (or until SIGINT/SIGTERM)")
  .argument("<flow>", "the flow file (JSON)")
  .option("-w, --workers <n>", "worker threads (default: the file's execution.workers, else 1)", positiveInteger)
  .option("--recovery-dir <dir>", "keep recovery data in DIR and resume from it (overrides the file's execution.recovery)")
  .option("--epoch-length <ms>", "close an epoch every MS milliseconds (overrides the file's execution.epoch)", milliseconds)
  .option("--fresh", "discard the recovery store's saved state and start over (file outputs start empty)")
  .option("--metrics-port <n>", "serve Prometheus metrics on http://127.0.0.1:N/metrics while the run lasts", port)
  .option("-v, --verbose", "also tell when each worker thread starts")
  .exitOverride()
  .action(async (flow: string, options: { workers?: number; recoveryDir?: string; epochLength?: number; fresh?: boolean; verbose?: boolean; metricsPort?: number }) => {
    exitWith(await runCommand(flow, options));
  });

program
  .command("validate")
  .description("check a flow file and list every problem")
  .argument("<flow>", "the flow file (JSON)")
  .exitOverride()
  .action((flow: string) => {
    exitWith(validateCommand(flow));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; anything else commander rejects is a usage error.
    exitWith(error.exitCode === 0 ? EXIT.OK : EXIT.INVALID_FLOW);
  }
  process.stderr.write(`eddy: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  exitWith(EXIT.INTERNAL);
}
