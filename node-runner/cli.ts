/**
 * The `eddy` command line:
 *
 *   eddy run FLOW.json [-w N] [-n P] [--recovery-dir DIR] [--epoch-length MS] [--fresh] [--metrics-port N]
 *   eddy cluster FLOW.json [-p ID -a HOST:PORT -a HOST:PORT ...] [-w N] [options of run]
 *   eddy validate FLOW.json
 *
 * Progress and errors go to standard error; standard output carries only what `stdout` outputs
 * write. Exit codes: exitCodes.ts. Running a flow file runs the code in it: run only files you trust.
 */

import { Command, CommanderError, InvalidArgumentError } from "commander";
import { DEFAULT_PEER_TIMEOUT_MS, MIN_PEER_TIMEOUT_MS } from "./cluster/liveness.js";
import { EXIT } from "./exitCodes.js";
import { prestartThread, startsThreads } from "./threads/prestart.js";

// Each command's code is imported once the command is chosen (the runner's build makes each a
// chunk of its own: node-runner/bin/runnerBuild.js), so `eddy run` does not load the cluster's code.

const EXAMPLES = `
Examples:
  eddy run examples/wordcount.json                  run a flow on one worker thread
  eddy run examples/wordcount.json -w 4             ... on 4 worker threads
  eddy run flow.json --recovery-dir ./state         resumable: run again after a crash or Ctrl-C to continue
  eddy run flow.json --recovery-dir ./state --fresh discard the saved state and start over
  eddy run flow.json --epoch-length 1000            commit an epoch every second (default: the file's, else 10 s)
  eddy run flow.json --metrics-port 9464            Prometheus metrics on http://127.0.0.1:9464/metrics while it runs
  eddy run flow.json -n 2 -w 2                      a cluster of 2 processes of 2 worker threads on this machine
  eddy cluster flow.json -p 0 -a host0:2101 -a host1:2101
                                                    process 0 of a cluster of 2 machines (without -p/-a: EDDY_* variables)
  eddy validate flow.json                           list every problem of a flow file

Exit codes:
  0    done              1    internal error            2    invalid flow file or command line
  3    a flow function, input or output failed         4    the recovery store refused or failed
  5    the cluster broke: another process died or never answered (eddy cluster, eddy run -n)
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

function peerTimeout(value: string): number {
  const number = milliseconds(value);
  if (number < MIN_PEER_TIMEOUT_MS) throw new InvalidArgumentError(`must be at least ${MIN_PEER_TIMEOUT_MS} milliseconds (two beats)`);
  return number;
}

function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw new InvalidArgumentError("must be a non-negative integer");
  return number;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** How long exiting may wait for standard output and error to take what was written to them. */
const FLUSH_MS = 5_000;

/**
 * Exits with `code` once standard output and standard error have taken what was written to them.
 * A write to a full pipe goes out in part at once and queues the rest, which `process.exit` would
 * drop: the reader would get a line cut in two (`eddy run -n` passes its processes' output on in
 * whole lines, and would end such a line where it was cut). At most FLUSH_MS: a reader that stopped
 * reading does not keep the process.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  setTimeout(() => process.exit(code), FLUSH_MS);
  process.stdout.write("", flushed);
  process.stderr.write("", flushed);
}

// The first worker thread starts now, while the command's code loads (threads/prestart.ts).
if (startsThreads(process.argv.slice(2))) prestartThread();

const program = new Command("eddy")
  .description("Runs Eddy flow files: dataflows with the semantics of Bytewax 0.11.")
  .exitOverride()
  .showHelpAfterError("(eddy --help for usage)")
  .addHelpText("after", EXAMPLES);

/** What `eddy run` and `eddy cluster` say differently about the options they share. */
interface RunOptionHelp {
  readonly workers: string;
  readonly recoveryDir: string;
  readonly fresh: string;
  readonly metricsPort: string;
  readonly connectTimeout: string;
  readonly peerTimeout: string;
}

/** The options of `eddy run` that `eddy cluster` takes too. */
function withRunOptions(command: Command, help: RunOptionHelp): Command {
  return command
    .option("-w, --workers <n>", help.workers, positiveInteger)
    .option("--recovery-dir <dir>", help.recoveryDir)
    .option("--epoch-length <ms>", "close an epoch every MS milliseconds (overrides the file's execution.epoch)", milliseconds)
    .option("--fresh", help.fresh)
    .option("--metrics-port <n>", help.metricsPort, port)
    .option("--connect-timeout <ms>", help.connectTimeout, milliseconds)
    .option("--peer-timeout <ms>", help.peerTimeout, peerTimeout)
    .option("-v, --verbose", "also tell when each worker thread starts")
    .exitOverride();
}

interface RunFlags {
  readonly workers?: number;
  readonly recoveryDir?: string;
  readonly epochLength?: number;
  readonly fresh?: boolean;
  readonly metricsPort?: number;
  readonly connectTimeout?: number;
  readonly peerTimeout?: number;
  readonly verbose?: boolean;
}

withRunOptions(
  program
    .command("run")
    .description("run a flow file until its inputs end (or until SIGINT/SIGTERM)")
    .argument("<flow>", "the flow file (JSON)")
    .option("-n, --processes <n>", "run a cluster of N processes on this machine (each an `eddy cluster` on a free port of 127.0.0.1)", positiveInteger),
  {
    workers: "worker threads (default: the file's execution.workers, else 1); with -n, per process",
    recoveryDir: "keep recovery data in DIR and resume from it (overrides the file's execution.recovery)",
    fresh: "discard the recovery store's saved state and start over (file outputs start empty)",
    metricsPort: "serve Prometheus metrics on http://127.0.0.1:N/metrics while the run lasts; with -n, process i on port N + i",
    connectTimeout: "with -n: how long the processes may take to connect (default 30000)",
    peerTimeout: `with -n: how long a process may say nothing (it beats every second) before the cluster stops (default ${DEFAULT_PEER_TIMEOUT_MS}, at least ${MIN_PEER_TIMEOUT_MS})`,
  },
).action(async (flow: string, options: RunFlags & { processes?: number }) => {
  const settings = { ...options, connectTimeoutMs: options.connectTimeout, peerTimeoutMs: options.peerTimeout };
  if (options.processes !== undefined && options.processes > 1) {
    const { runLocalCluster } = await import("./cluster/spawnLocal.js");
    exitWith(await runLocalCluster(flow, { ...settings, processes: options.processes }));
  } else {
    const { runCommand } = await import("./commands/run.js");
    exitWith(await runCommand(flow, settings));
  }
});

withRunOptions(
  program
    .command("cluster")
    .description("run one process of a cluster (its place from -p and -a, else from EDDY_* variables)")
    .argument("<flow>", "the flow file (JSON), the same in every process")
    .option("-p, --process-id <id>", "this process's id: its index in the addresses", nonNegativeInteger)
    .option("-a, --address <host:port>", "every process's address, in order (repeat -a); this process listens on its own", collect),
  {
    workers: "worker threads per process (default: EDDY_WORKERS_PER_PROCESS, the file's execution.workers, else 1)",
    recoveryDir: "keep this process's recovery data in DIR and resume from it",
    fresh: "discard this process's saved state and start over (every process must be given it)",
    metricsPort: "serve this process's Prometheus metrics on http://127.0.0.1:N/metrics while it runs",
    connectTimeout: "how long connecting to the other processes may take in all (default 30000; 600000 when the place comes from EDDY_* variables)",
    peerTimeout: `how long another process may say nothing (each beats every second) before the cluster stops (default ${DEFAULT_PEER_TIMEOUT_MS}, at least ${MIN_PEER_TIMEOUT_MS})`,
  },
).action(async (flow: string, options: RunFlags & { processId?: number; address?: string[] }) => {
  const { clusterCommand } = await import("./commands/cluster.js");
  exitWith(await clusterCommand(flow, { ...options, procId: options.processId, addresses: options.address, connectTimeoutMs: options.connectTimeout, peerTimeoutMs: options.peerTimeout }));
});

program
  .command("validate")
  .description("check a flow file and list every problem")
  .argument("<flow>", "the flow file (JSON)")
  .exitOverride()
  .action(async (flow: string) => {
    const { validateCommand } = await import("./commands/validate.js");
    exitWith(validateCommand(flow));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Help and version are not errors; anything else commander rejects is a usage error.
    exitWith(error.exitCode === 0 ? EXIT.OK : EXIT.INVALID_FLOW);
  } else {
    process.stderr.write(`eddy: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    exitWith(EXIT.INTERNAL);
  }
});
