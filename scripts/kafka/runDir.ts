/**
 * A broker's run directory: `broker.json` (what was started, by whom, and whether it is ready),
 * `server.properties`, `kafka.out` (the broker's log) and `data/` (its throwaway log dirs). The
 * record is written atomically (write, then rename), so a reader in another process (a test
 * waiting for readiness, `npm run kafka status`) never sees half of it. A directory is removed only
 * when it holds such a record: the harness never deletes a directory it did not make.
 */

import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type BrokerState = "starting" | "ready" | "failed";

export interface BrokerRecord {
  /** Marks a directory the harness made (and may remove). */
  readonly eddyKafkaRun: 1;
  readonly state: BrokerState;
  /** "127.0.0.1:PORT", what clients connect to. */
  readonly bootstrap: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly kafkaVersion: string;
  /** The broker's JVM, once spawned. */
  readonly pid?: number;
  /** The process that stops the broker when `watchPid` exits. */
  readonly watchdogPid?: number;
  readonly watchPid?: number;
  readonly startedAt: string;
  /** Milliseconds from the start call to ready. */
  readonly readyMs?: number;
  /** Why the start failed, with the log's last lines. */
  readonly error?: string;
}

export const recordPath = (runDir: string): string => join(runDir, "broker.json");
export const propertiesPath = (runDir: string): string => join(runDir, "server.properties");
export const logPath = (runDir: string): string => join(runDir, "kafka.out");
export const dataPath = (runDir: string): string => join(runDir, "data");

export function readBrokerRecord(runDir: string): BrokerRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordPath(runDir), "utf8")) as BrokerRecord;
    return record.eddyKafkaRun === 1 ? record : undefined;
  } catch {
    return undefined;
  }
}

export function writeBrokerRecord(runDir: string, record: BrokerRecord): void {
  const temporary = `${recordPath(runDir)}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, recordPath(runDir));
}

/** True when `runDir` may be used for a new broker: missing, empty, or left by an earlier one. */
export function isReusable(runDir: string): boolean {
  return !existsSync(runDir) || readdirSync(runDir).length === 0 || readBrokerRecord(runDir) !== undefined;
}

/** Removes `runDir` if the harness made it (it holds a broker record); false otherwise. */
export function removeRunDir(runDir: string): boolean {
  if (readBrokerRecord(runDir) === undefined) return false;
  rmSync(runDir, { recursive: true, force: true });
  return true;
}

/** The last `lines` lines of the broker's log ("" when there is none). */
export function logTail(runDir: string, lines = 60): string {
  try {
    return readFileSync(logPath(runDir), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
