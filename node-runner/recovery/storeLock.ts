/**
 * One run per recovery directory: a lock taken before the store is read, held until the run ends.
 *
 * The lock is a numbered file, `eddy.lock.<n>`, and only the highest number counts. It holds the
 * owner's pid, host and process start time (from /proc/<pid>/stat where there is one), or
 * `{"free":true}` once released. To take the store, a run reads the highest file: when its owner
 * is alive, the run is refused (RECOVERY_LOCKED, naming the owner); when it is free, or its owner
 * is dead (no such pid, a zombie, or a pid reused by another process: another start time), the
 * run creates `n + 1` with a hard link of a complete file, which fails when it exists: of two runs
 * starting at the same instant exactly one gets `n + 1` and the other reads it and is refused.
 * A file is never deleted before a higher one exists, so the numbers only grow and a stale lock is
 * broken without a window in which two runs both own the store. A run killed with SIGKILL leaves
 * its file behind; its pid is dead, so the next run goes ahead.
 *
 * An owner on another host cannot be checked: that is refused, naming the host and the file to
 * delete once that run is known to be over.
 *
 * The processes of one cluster on one machine may share a directory (each writes only its own
 * workers' partitions): each locks it with the cluster's tag (`cluster`), and a process that finds
 * the lock held by a live process with the same tag shares it (its release does nothing).
 */

import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { EddyError } from "../../engine/host/index.js";

const LOCK_FILE = /^eddy\.lock\.(\d+)$/;

interface Owner {
  readonly pid: number;
  readonly host: string;
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), when known. */
  readonly start: string | null;
  readonly token: string;
  readonly since: string;
  /** The tag of the cluster whose processes share the lock (lockStoreDir's `cluster`). */
  readonly cluster?: string;
}
type LockContent = Owner | { readonly free: true };

export interface HeldLock {
  /** Releases the lock (idempotent; synchronous so that it can run in an exit handler). */
  release(): void;
}

/** The start time of process `pid`, or null where /proc is missing; "zombie" for a dead, unreaped one. */
function processStart(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return "zombie";
  return fields[19] ?? null;
}

/** Whether the process that wrote `owner` still runs (on this host; another host counts as alive). */
function isAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const start = processStart(owner.pid);
  if (start === "zombie") return false;
  return owner.start === null || start === null || start === owner.start;
}

function unusable(dir: string, error: unknown): EddyError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new EddyError("RECOVERY_DIR_UNUSABLE", `Recovery directory ${dir} cannot hold a store: ${(error as Error).message.replace(/^\w+: /, "")} (${reason}). Use a directory on a normal, writable file system.`, { cause: error });
}

/**
 * Creates `dir` and its missing parents one at a time. Node's `mkdirSync(dir, { recursive: true })`
 * never returns under /proc (mkdir says ENOENT while the parent exists, and it retries for ever).
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let path = resolve(dir); ; path = dirname(path)) {
    try {
      if (!statSync(path).isDirectory()) throw Object.assign(new Error(`${path} is not a directory`), { code: "ENOTDIR" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dirname(path) === path) throw error;
      missing.unshift(path);
    }
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** The highest lock file's number and content (undefined when there is none). */
function highest(dir: string): { n: number; content: LockContent | undefined } | undefined {
  const numbers = readdirSync(dir).flatMap((name) => {
    const match = LOCK_FILE.exec(name);
    return match ? [Number(match[1])] : [];
  });
  if (numbers.length === 0) return undefined;
  const n = Math.max(...numbers);
  try {
    return { n, content: JSON.parse(readFileSync(join(dir, `eddy.lock.${n}`), "utf8")) as LockContent };
  } catch (error) {
    // Deleted since the listing (a higher one exists now): look again. Unreadable: a foreign file.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return highest(dir);
    return { n, content: undefined };
  }
}

/** Creates `eddy.lock.<n>` with `content`, complete or not at all; false when it exists. */
function create(dir: string, n: number, content: LockContent): boolean {
  const temporary = join(dir, `.eddy.lock.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  writeFileSync(temporary, JSON.stringify(content));
  try {
    linkSync(temporary, join(dir, `eddy.lock.${n}`));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function refusal(dir: string, n: number, owner: Owner | undefined): EddyError {
  const file = join(dir, `eddy.lock.${n}`);
  if (!owner) return new EddyError("RECOVERY_LOCKED", `Recovery directory ${dir} is locked by ${file}, which Eddy cannot read; if no run uses this directory, delete that file.`);
  const where = owner.host === hostname() ? "" : ` on host ${owner.host}`;
  const hint = owner.host === hostname() ? "wait for it to end or stop it" : `if that run is over, delete ${file}`;
  return new EddyError(
    "RECOVERY_LOCKED",
    `Recovery directory ${dir} is in use by another run (pid ${owner.pid}${where}, since ${owner.since}); one store serves one run at a time: ${hint}.`,
  );
}

/** Takes the store in `dir` for this process, or throws RECOVERY_LOCKED naming the owner (never waits). */
export function lockStoreDir(dir: string, options: { readonly cluster?: string | undefined } = {}): HeldLock {
  try {
    makeDirectory(dir);
  } catch (error) {
    throw unusable(dir, error);
  }
  const me: Owner = { pid: process.pid, host: hostname(), start: processStart(process.pid), token: randomBytes(8).toString("hex"), since: new Date().toISOString(), ...(options.cluster !== undefined && { cluster: options.cluster }) };
  let mine: number | undefined;
  for (;;) {
    let top: ReturnType<typeof highest>;
    try {
      top = highest(dir);
      const owner = top?.content;
      if (options.cluster !== undefined && owner !== undefined && "pid" in owner && owner.cluster === options.cluster && isAlive(owner)) return { release() {} };
      if (top && (top.content === undefined || ("pid" in top.content && isAlive(top.content)))) throw refusal(dir, top.n, top.content as Owner | undefined);
      if (create(dir, (top?.n ?? -1) + 1, me)) {
        mine = (top?.n ?? -1) + 1;
        break;
      }
    } catch (error) {
      if (error instanceof EddyError) throw error;
      throw unusable(dir, error);
    }
  }
  const taken = mine;
  // The older files are dead: tidy them away (no harm if another run does the same).
  for (const name of readdirSync(dir)) {
    const match = LOCK_FILE.exec(name);
    if (match && Number(match[1]) < taken) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Already gone.
      }
    }
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        // A higher, free file first, then ours: the highest file never disappears.
        if (create(dir, taken + 1, { free: true })) unlinkSync(join(dir, `eddy.lock.${taken}`));
      } catch {
        // The directory is gone or read-only now: our pid dies with us, which frees the lock too.
      }
    },
  };
}

