/**
 * Running the real `eddy` CLI as a user would, in a child process: `node node-runner/bin/eddy.js
 * ...`, the bin `npx eddy` runs, which runs the runner's build (dist/runner/, rebuilt first when a
 * source is newer). TypeScript programs run as `node --import tsx FILE.ts` (not the tsx CLI,
 * which would run the program in a grandchild that a signal or SIGKILL to the child would miss). Every run has a hard timeout and is SIGKILLed (by its
 * PID) when it passes it; a timed-out run is reported, never waited for.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = join(REPO, "node-runner/cli.ts");
export const BIN = join(REPO, "node-runner/bin/eddy.js");
export const FIXTURES = join(REPO, "test/runner/fixtures");

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** It passed its timeout and was SIGKILLed. */
  readonly timedOut: boolean;
  /** We SIGKILLed it on purpose (`killAfterMs`). */
  readonly killed: boolean;
  readonly ms: number;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** SIGKILL the process this long after it started, or after `killWhen` first returned true (polled every 5 ms). */
  readonly killAfterMs?: number;
  readonly killWhen?: () => boolean;
  /** Called once the child started, to send it signals. */
  readonly onStart?: (child: ChildProcess, output: { stdout: () => string; stderr: () => string }) => void;
}

/** Runs a node program (a .ts file under tsx) to the end, or until its timeout. */
export function runNode(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(["--import", "tsx", ...args], options);
}

/** Runs `node ARGS...` to the end, or until its timeout. */
function runProcess(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolveRun, rejectRun) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let killed = false;
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs ?? 30_000);
    let killTimer: NodeJS.Timeout | undefined;
    const planKill = () => {
      killTimer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          killed = true;
          kill();
        }
      }, options.killAfterMs);
    };
    let poll: NodeJS.Timeout | undefined;
    if (options.killAfterMs !== undefined) {
      const killWhen = options.killWhen;
      if (!killWhen) planKill();
      else {
        poll = setInterval(() => {
          if (!killWhen()) return;
          clearInterval(poll);
          planKill();
        }, 5);
      }
    }
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", rejectRun);
    child.on("close", (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      clearInterval(poll);
      resolveRun({ code, signal, stdout, stderr, timedOut, killed, ms: performance.now() - started });
    });
    options.onStart?.(child, { stdout: () => stdout, stderr: () => stderr });
  });
}

/** `eddy ARGS...`, through the bin. */
export function eddy(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess([BIN, ...args], options);
}

/** A fresh temporary directory, removed by `removeTemporaryDirectories`. */
const temporary: string[] = [];
export function temporaryDirectory(prefix = "eddy-runner-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}
export function removeTemporaryDirectories(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes a flow file of `steps` (and an `execution` block, if given) into a fresh temporary directory; returns its path. */
export function flowFile(steps: unknown[], execution?: unknown): string {
  const path = join(temporaryDirectory(), "flow.json");
  writeFileSync(path, JSON.stringify({ format: "eddy.flow", version: 1, steps, ...(execution !== undefined && { execution }) }, null, 2));
  return path;
}

/** Copies an example flow (and examples/data) into a fresh directory, so that its outputs and state land there. */
export function exampleCopy(name: string): string {
  const dir = temporaryDirectory(`eddy-example-${name}-`);
  cpSync(join(REPO, "examples", `${name}.json`), join(dir, `${name}.json`));
  cpSync(join(REPO, "examples/data"), join(dir, "data"), { recursive: true });
  return join(dir, `${name}.json`);
}

/** Copies a test fixture flow into a fresh directory and writes its data files there. */
export function fixtureCopy(name: string, data: Record<string, string> = {}): string {
  const dir = temporaryDirectory(`eddy-fixture-${name}-`);
  cpSync(join(FIXTURES, `${name}.json`), join(dir, `${name}.json`));
  for (const [path, text] of Object.entries(data)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return join(dir, `${name}.json`);
}

export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

export function sortedLines(text: string): string[] {
  return lines(text).sort();
}

/** The files in `dir` whose names match `pattern`, name → text (empty when the directory is missing). */
export function filesIn(dir: string, pattern: RegExp): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );
}

/** The stderr of a result, for failure messages. */
export function describeRun(result: CliResult): string {
  return `exit ${result.code ?? result.signal}${result.timedOut ? " (TIMED OUT)" : ""} after ${result.ms.toFixed(0)} ms; stderr:\n${result.stderr}`;
}
