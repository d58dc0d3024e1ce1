/** The machine and the software a benchmark ran on, for the report. */

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";

export interface SystemInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly python: string;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match) return match[1]!.trim();
  } catch {
    // Not Linux: os.cpus() below.
  }
  return os.cpus()[0]?.model.trim() ?? "unknown";
}

/** `Python 3.11.7` from the given interpreter, or "not available". */
export function pythonVersion(python: string): string {
  if (!existsSync(python)) return "not available";
  try {
    return execFileSync(python, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return "not available";
  }
}

export function systemInfo(python: string): SystemInfo {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    python: pythonVersion(python),
  };
}
