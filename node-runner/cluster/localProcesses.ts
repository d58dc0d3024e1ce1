/**
 * The processes of a cluster on this machine, started by `eddy run -n` (spawnLocal.ts) or by
 * `spawnCluster` (spawnCluster.ts): free addresses on 127.0.0.1 for them, and their supervision. Each
 * child gets an IPC channel to this process; when this process dies, the channel closes and the
 * child stops (fail-stop). Children run in their own process group, so that a terminal's Ctrl-C
 * reaches this process only, which forwards it once to each child.
 *
 * Once a child failed (exited with a code other than 0, or by a signal), the others stop on their
 * own (they see the failure or the lost connection); a child still running after STRAGGLER_MS is
 * killed, by its pid.
 */

import type { ChildProcess } from "node:child_process";
import { createServer, type AddressInfo, type Server } from "node:net";
import type { ErrorReport } from "../errors/report.js";

/** How long the other children may take to stop after one failed, before they are killed. */
export const STRAGGLER_MS = 20_000;

export interface ChildExit {
  readonly procId: number;
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the child reported over IPC before it exited (spawnCluster's children report their error). */
  readonly report: ErrorReport | undefined;
  /** It did not start (spawn failed): why. */
  readonly spawnError: Error | undefined;
}

/**
 * `count` addresses of free ports on 127.0.0.1 (held until all are chosen, so they differ; another
 * program could still take one before a child listens on it, which that child reports).
 */
export async function freeLocalAddresses(count: number): Promise<string[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, resolve);
      });
    }
    return servers.map((server) => `127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Children started together; `exits` resolves once every one has exited, in the order they did. */
export class LocalProcesses {
  readonly exits: Promise<ChildExit[]>;
  private readonly children: ChildProcess[] = [];
  private readonly running = new Set<number>();
  private straggler: NodeJS.Timeout | undefined;

  constructor(count: number, start: (procId: number) => ChildProcess) {
    const exits: ChildExit[] = [];
    this.exits = new Promise((resolve) => {
      const exited = (exit: ChildExit) => {
        if (!this.running.delete(exit.procId)) return;
        exits.push(exit);
        if (exit.code !== 0 || exit.signal !== null) this.failed();
        if (this.running.size === 0) {
          clearTimeout(this.straggler);
          resolve(exits);
        }
      };
      for (let procId = 0; procId < count; procId++) {
        this.running.add(procId);
        const child = start(procId);
        this.children.push(child);
        let report: ErrorReport | undefined;
        child.on("message", (message: { type?: unknown; report?: ErrorReport }) => {
          if (message?.type === "failed" && message.report) report = message.report;
        });
        child.on("error", (error) => exited({ procId, pid: child.pid, code: null, signal: null, report, spawnError: error }));
        child.on("exit", (code, signal) => exited({ procId, pid: child.pid, code, signal, report, spawnError: undefined }));
      }
    });
  }

  /** The pids of the children that still run. */
  get pids(): number[] {
    return [...this.running].flatMap((procId) => (this.children[procId]?.pid === undefined ? [] : [this.children[procId]!.pid!]));
  }

  /** Sends `signal` to every child still running. */
  signal(signal: NodeJS.Signals): void {
    for (const procId of this.running) this.children[procId]?.kill(signal);
  }

  private failed(): void {
    if (this.straggler !== undefined || this.running.size === 0) return;
    this.straggler = setTimeout(() => this.signal("SIGKILL"), STRAGGLER_MS);
    this.straggler.unref();
  }
}

/**
 * The exit that describes the run: the first child's that failed for a reason of its own (exit 5,
 * the cluster broke, is what the others say when one died: a death by a signal counts as 5), else
 * 130 when one was interrupted, else 0.
 */
export function describingExit(exits: readonly ChildExit[]): ChildExit | undefined {
  return exits.find((exit) => exit.code !== 0 && exit.code !== 5 && exit.code !== 130 && exit.signal === null) ?? exits.find((exit) => exit.code !== 0);
}
