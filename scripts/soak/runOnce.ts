/**
 * One `eddy run` of a soak flow, killed with SIGKILL (by its PID) when its kill point is reached,
 * or left to finish. Every run has a hard timeout. Output lines are counted incrementally (a
 * resume truncates the file back, which restarts the count of that file).
 */

import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { KillPoint } from "./killPlan.js";

export interface RunOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** We killed it at its kill point (it was still running). */
  readonly killed: boolean;
  readonly timedOut: boolean;
  readonly stderr: string;
}

export interface RunSpec {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly outDir: string;
  readonly stateDir: string;
  readonly kill?: KillPoint | undefined;
  readonly timeoutMs: number;
}

const POLL_MS = 2;

/** Counts newline-terminated lines of the `.jsonl` files of a directory, reading only what is new. */
class LineCounter {
  private readonly files = new Map<string, { offset: number; lines: number }>();
  private readonly buffer = Buffer.alloc(1 << 16);
  constructor(private readonly dir: string) {}

  count(): number {
    if (!existsSync(this.dir)) return 0;
    let total = 0;
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".jsonl")) continue;
      const path = join(this.dir, name);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        continue;
      }
      let seen = this.files.get(name) ?? { offset: 0, lines: 0 };
      if (size < seen.offset) seen = { offset: 0, lines: 0 };
      if (size > seen.offset) seen = this.readFrom(path, seen, size);
      this.files.set(name, seen);
      total += seen.lines;
    }
    return total;
  }

  private readFrom(path: string, seen: { offset: number; lines: number }, size: number): { offset: number; lines: number } {
    const fd = openSync(path, "r");
    let { offset, lines } = seen;
    try {
      while (offset < size) {
        const read = readSync(fd, this.buffer, 0, Math.min(this.buffer.length, size - offset), offset);
        if (read <= 0) break;
        for (let i = 0; i < read; i++) if (this.buffer[i] === 10) lines += 1;
        offset += read;
      }
    } finally {
      closeSync(fd);
    }
    return { offset, lines };
  }
}

/** A signature of the recovery partition files: it changes whenever a commit writes one. */
function storeSignature(stateDir: string): string {
  if (!existsSync(stateDir)) return "";
  return readdirSync(stateDir)
    .filter((name) => name.endsWith(".mdb"))
    .sort()
    .map((name) => {
      try {
        const stat = statSync(join(stateDir, name));
        return `${name}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return name;
      }
    })
    .join(";");
}

/** Runs the command to its end, its kill point, or its timeout. */
export function runOnce(spec: RunSpec): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = spec.command;
    const child = spawn(program!, args, { cwd: spec.cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let killed = false;
    let timedOut = false;
    const started = performance.now();
    const killNow = () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, "SIGKILL");
        return true;
      }
      return false;
    };
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timeout = setTimeout(() => {
      timedOut = killNow();
    }, spec.timeoutMs);

    const counter = new LineCounter(spec.outDir);
    let signature = storeSignature(spec.stateDir);
    let commits = 0;
    let resumedAt: number | undefined;
    const point = spec.kill;
    const due = (): boolean => {
      if (!point) return false;
      const now = performance.now();
      switch (point.kind) {
        case "startup":
          return now - started >= point.afterMs;
        case "output":
          return counter.count() >= point.lines;
        case "commit": {
          const next = storeSignature(spec.stateDir);
          if (next !== signature) {
            signature = next;
            commits += 1;
          }
          return commits >= point.afterCommits;
        }
        case "resume":
          if (resumedAt === undefined && /resuming at epoch|from the start/.test(stderr)) resumedAt = now;
          return resumedAt !== undefined && now - resumedAt >= point.afterMs;
      }
    };
    const poll = setInterval(() => {
      if (due()) {
        clearInterval(poll);
        killed = killNow();
      }
    }, POLL_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timeout);
      clearInterval(poll);
      resolve({ code, signal, killed: killed && signal === "SIGKILL", timedOut, stderr });
    });
  });
}
