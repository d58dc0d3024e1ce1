/**
 * Runs one case of the plan in its own process and reads its one JSON line (the format of
 * bench/child.ts and of the peers). A process that fails, hangs past the time limit or prints
 * something else is a failed sample, with the end of its standard error as the reason.
 */

import { spawn } from "node:child_process";
import type { Case } from "./plan.js";

export interface Sample {
  readonly seconds: number;
  readonly checksum: number;
  readonly maxRssKb: number;
  readonly version: string;
}

export type Outcome = { readonly ok: true; readonly sample: Sample } | { readonly ok: false; readonly error: string };

/** No single measurement may take longer than this. */
const TIME_LIMIT_MS = 20 * 60 * 1000;

function parseSample(stdout: string): Sample | undefined {
  const line = stdout.trim().split("\n").at(-1);
  try {
    const value = JSON.parse(line ?? "") as Record<string, unknown>;
    const { seconds, checksum, maxRssKb, version } = value;
    if (typeof seconds !== "number" || typeof checksum !== "number" || typeof maxRssKb !== "number") return undefined;
    return { seconds, checksum, maxRssKb, version: typeof version === "string" ? version : "" };
  } catch {
    return undefined;
  }
}

export function measure(item: Case): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(item.command, [...item.args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr = (stderr + text).slice(-4000)));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${TIME_LIMIT_MS / 1000} s)`;
      child.kill("SIGKILL");
    }, TIME_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `cannot start ${item.command}: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const sample = code === 0 ? parseSample(stdout) : undefined;
      if (sample) resolve({ ok: true, sample });
      else resolve({ ok: false, error: `${code !== 0 ? `exited with ${signal ?? `code ${code}`}` : "printed no result line"}: ${stderr.trim().split("\n").slice(-6).join(" | ") || stdout.trim().slice(-300)}` });
    });
  });
}
