/**
 * `eddy run FLOW.json -n P [-w W]`: P processes of one cluster on this machine, each an
 * `eddy cluster` child on a free port of 127.0.0.1 (localProcesses.ts). This process checks the flow
 * once (exit 2 before anything starts) and, with `--metrics-port N`, that the ports N to N + P - 1
 * are free (process i serves its workers' metrics on N + i; exit 2), forwards SIGINT and SIGTERM to
 * them (they share the recovery directory and its lock; each touches only its own workers'
 * partitions), passes their output through in whole lines, and exits with the code that describes the run: the
 * first failure's (`describingExit`).
 */

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { EddyError } from "../../engine/host/index.js";
import { reportError } from "../errors/report.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import { checkMetricsPorts } from "../metrics/metricsPort.js";
import type { RunCommandOptions } from "../commands/run.js";
import { checkedStart, say } from "../commands/runStart.js";
import { describingExit, freeLocalAddresses, LocalProcesses, type ChildExit } from "./localProcesses.js";

/** `eddy run`'s options, with the number of processes. */
export type LocalClusterOptions = RunCommandOptions & { readonly processes: number };

export async function runLocalCluster(file: string, options: LocalClusterOptions): Promise<ExitCode> {
  // The flow is checked once here (exit 2 before any process starts); each process checks it again.
  const checked = await checkedStart(file, {});
  if (typeof checked === "number") return checked;
  // --metrics-port N: process i serves its workers' metrics on N + i (ports checked before any starts).
  const metricsPorts = options.metricsPort === undefined ? [] : Array.from({ length: options.processes }, (_, procId) => options.metricsPort! + procId);
  try {
    if ((metricsPorts.at(-1) ?? 0) > 65535) throw new EddyError("RUNNER_METRICS_PORT", `--metrics-port ${options.metricsPort} with -n ${options.processes}: process i serves on ${options.metricsPort} + i, and ${metricsPorts.at(-1)} is not a port`);
    await checkMetricsPorts(metricsPorts);
  } catch (error) {
    const report = reportError(error);
    say(`${report.message} (${report.code ?? "error"})`);
    return EXIT.INVALID_FLOW;
  }

  const addresses = await freeLocalAddresses(options.processes);
  const args = [
    ...addresses.flatMap((address) => ["-a", address]),
    ...(options.workers !== undefined ? ["-w", String(options.workers)] : []),
    ...(options.recoveryDir !== undefined ? ["--recovery-dir", resolve(options.recoveryDir)] : []),
    ...(options.epochLength !== undefined ? ["--epoch-length", String(options.epochLength)] : []),
    ...(options.connectTimeoutMs !== undefined ? ["--connect-timeout", String(options.connectTimeoutMs)] : []),
    ...(options.peerTimeoutMs !== undefined ? ["--peer-timeout", String(options.peerTimeoutMs)] : []),
    ...(options.fresh ? ["--fresh"] : []),
    ...(options.verbose ? ["--verbose"] : []),
  ];
  const serves = metricsPorts.length > 0 ? `; metrics on http://127.0.0.1:${metricsPorts[0]}/metrics to :${metricsPorts.at(-1)}/metrics, a port per process` : "";
  say(`running ${file} on ${options.processes} processes (${addresses.join(", ")})${serves}`);
  const processes = new LocalProcesses(options.processes, (procId) => {
    const metricsPort = metricsPorts.length > 0 ? ["--metrics-port", String(metricsPorts[procId])] : [];
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "cluster", file, "-p", String(procId), ...args, ...metricsPort], {
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
    });
    passLines(child.stdout!, process.stdout);
    passLines(child.stderr!, process.stderr);
    return child;
  });

  let signals = 0;
  const forward = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 2) return;
    processes.signal(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);

  const exits = await processes.exits;
  for (const exit of exits) if (exit.signal !== null || exit.spawnError) say(describeChildEnd(exit));
  const describing = describingExit(exits);
  if (describing === undefined) return EXIT.OK;
  return describing.code === null || describing.code === 5 ? EXIT.CLUSTER : (describing.code as ExitCode);
}

export function describeChildEnd(exit: ChildExit): string {
  if (exit.spawnError) return `process ${exit.procId} could not start: ${exit.spawnError.message}`;
  if (exit.signal !== null) return `process ${exit.procId} (pid ${exit.pid}) was killed by ${exit.signal}`;
  return `process ${exit.procId} (pid ${exit.pid}) exited with code ${exit.code}`;
}

/** Writes what `from` carries to `to` in whole lines (so that two children's lines never mix), with back-pressure. */
function passLines(from: NodeJS.ReadableStream, to: NodeJS.WritableStream): void {
  let partial = "";
  from.setEncoding("utf8");
  const write = (text: string) => {
    if (!to.write(text)) {
      from.pause();
      to.once("drain", () => from.resume());
    }
  };
  from.on("data", (chunk: string) => {
    const end = chunk.lastIndexOf("\n");
    if (end < 0) {
      partial += chunk;
      return;
    }
    write(partial + chunk.slice(0, end + 1));
    partial = chunk.slice(end + 1);
  });
  from.on("end", () => {
    if (partial !== "") write(`${partial}\n`);
  });
}
