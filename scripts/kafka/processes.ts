/**
 * Process and port checks for the throwaway Kafka broker (Linux, /proc): what a PID runs, whether
 * it is still alive, and whether a port on 127.0.0.1 is free. Everything here is bounded; nothing
 * signals a process by name.
 */

import { readFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";

/** What /proc says about a live process; undefined when there is none (or only its zombie). */
export interface ProcessInfo {
  readonly pid: number;
  /** The arguments, joined with spaces. */
  readonly cmdline: string;
  /** Clock ticks since boot at which it started (field 22 of /proc/PID/stat): tells a reused PID apart. */
  readonly startTime: string;
}

export function processInfo(pid: number): ProcessInfo | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, cmdline, startTime: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  return processInfo(pid) !== undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns true; false once `timeoutMs` has passed. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** True when nothing listens on 127.0.0.1:`port` (checked by listening on it for a moment). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when a TCP connection to `host`:`port` opens within `timeoutMs`. */
export function canConnect(port: number, host = "127.0.0.1", timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * `count` distinct free ports on 127.0.0.1, picked at random in [20000, 32000): below Linux's
 * ephemeral range, so the many `listen(0)` and outgoing connections of a test run cannot take them
 * between this check and the broker's bind.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > 200) throw new Error(`no ${count} free ports found on 127.0.0.1 in [20000, 32000)`);
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.includes(port) && (await isPortFree(port))) ports.push(port);
  }
  return ports;
}
