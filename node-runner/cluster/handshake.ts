/**
 * The handshake between two processes of a cluster: each sends a hello on a new connection (the
 * dialing process first, connectMesh.ts), and each compares the other's with its own. Processes
 * run together only when they run the same flow (a fingerprint of its definition), the same worker
 * count per process and process count, the same settings (epochs, recovery, --fresh) and the same
 * Eddy and cluster protocol versions. A mismatch is refused on both sides, each naming both.
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EddyError } from "../../engine/host/index.js";

/** The version of the records (framing.ts, controlRecords.ts) a process speaks. */
export const CLUSTER_PROTOCOL_VERSION = 1;

export interface Hello {
  readonly type: "hello";
  readonly protocol: number;
  readonly eddyVersion: string;
  readonly procId: number;
  readonly procCount: number;
  readonly workersPerProcess: number;
  /** The flow's fingerprint (`fingerprintOf`). */
  readonly flow: string;
  /** Settings that must be the same everywhere, each a printable value ("periodic 10000 ms"). */
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * This process's hello: process `procId` of the cluster at `addresses`, running `flowText` (a flow's
 * canonical text, engine/cluster/flowFingerprint.ts) with epochs of `epochLength` ms (or testing
 * epochs), a recovery store of `recovery`'s kind or none, and any further `settings`.
 */
export function helloOf(
  procId: number,
  addresses: readonly string[],
  workersPerProcess: number,
  flowText: string,
  run: { readonly epochLength: number | "testing"; readonly recovery: string | undefined; readonly settings?: Readonly<Record<string, string>> },
): Hello {
  return {
    type: "hello",
    protocol: CLUSTER_PROTOCOL_VERSION,
    eddyVersion: eddyVersion(),
    procId,
    procCount: addresses.length,
    workersPerProcess,
    flow: fingerprintOf(flowText),
    settings: {
      epochs: run.epochLength === "testing" ? "testing epochs" : `epochs of ${run.epochLength} ms`,
      recovery: run.recovery === undefined ? "no recovery" : `${run.recovery} recovery`,
      ...run.settings,
    },
  };
}

/** A short stable hash of a flow's canonical text (engine/cluster/flowFingerprint.ts). */
export function fingerprintOf(canonicalText: string): string {
  return createHash("sha256").update(canonicalText).digest("hex").slice(0, 16);
}

/** How a process is named in messages: "process 1 at 127.0.0.1:4001". */
export function processName(procId: number, address: string | undefined): string {
  return address === undefined ? `process ${procId}` : `process ${procId} at ${address}`;
}

/**
 * Every difference between this process's hello and another's, each naming both sides
 * ("process 1 at 127.0.0.1:4001 runs 2 workers per process, this process (0) 1"); empty when they match.
 */
export function helloMismatches(mine: Hello, theirs: Hello, theirName: string): string[] {
  const me = `this process (${mine.procId})`;
  const differences: string[] = [];
  const differ = (their: string | number, own: string | number, phrase: (value: string | number) => string) => {
    if (their !== own) differences.push(`${theirName} ${phrase(their)}, ${me} ${own}`);
  };
  differ(theirs.protocol, mine.protocol, (value) => `speaks cluster protocol ${value}`);
  differ(theirs.eddyVersion, mine.eddyVersion, (value) => `runs Eddy ${value}`);
  differ(theirs.flow, mine.flow, (value) => `runs flow fingerprint ${value}`);
  differ(theirs.procCount, mine.procCount, (value) => `has ${value} processes (addresses)`);
  differ(theirs.workersPerProcess, mine.workersPerProcess, (value) => `runs ${value} workers per process (-w)`);
  for (const name of [...new Set([...Object.keys(mine.settings), ...Object.keys(theirs.settings)])].sort()) {
    differ(theirs.settings[name] ?? "(not set)", mine.settings[name] ?? "(not set)", (value) => `runs with ${name} ${value}`);
  }
  return differences;
}

/** The refusal of a handshake: every mismatch, and what must be the same. */
export function mismatchError(differences: readonly string[]): EddyError {
  return new EddyError(
    "CLUSTER_MISMATCH",
    `The processes of the cluster do not match: ${differences.join("; ")}. Every process of a cluster must run the same flow with the same worker count per process (-w), the same addresses (-a, in the same order), the same settings and the same Eddy version.`,
  );
}

/** Checks that a record received as a hello is one (a malformed hello is a protocol error). */
export function asHello(message: unknown, from: string): Hello {
  const hello = message as Partial<Hello> | null;
  const isCount = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
  if (
    hello === null ||
    typeof hello !== "object" ||
    hello.type !== "hello" ||
    !isCount(hello.protocol) ||
    typeof hello.eddyVersion !== "string" ||
    !isCount(hello.procId) ||
    !isCount(hello.procCount) ||
    !isCount(hello.workersPerProcess) ||
    typeof hello.flow !== "string" ||
    typeof hello.settings !== "object" ||
    hello.settings === null ||
    Object.values(hello.settings).some((value) => typeof value !== "string")
  ) {
    throw new EddyError("CLUSTER_PROTOCOL", `${from} did not begin with a hello an Eddy process of this cluster sends; is something other than Eddy at that address?`);
  }
  return hello as Hello;
}

/** This package's version (the nearest package.json named "eddy" above this file). */
export function eddyVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "eddy" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // No package.json here: look further up.
    }
    if (dirname(dir) === dir) return "unknown";
  }
}
