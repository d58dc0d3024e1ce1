/**
 * Verifies a file recovery store in a short-lived child process (verifyStoreChild.ts) before the
 * run opens it: LMDB trusts its pages, and a damaged one can abort native code (SIGABRT, SIGSEGV)
 * or fail inside a write transaction, which no worker thread could contain. A refusal, a crash or
 * a signal in the child is RECOVERY_CORRUPT naming the file it was checking; nothing is written.
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_CODES, EddyError, isErrorCode } from "../../engine/host/index.js";

const CHILD = fileURLToPath(new URL(`./verifyStoreChild${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** What the child printed and how it ended, as the parent judges it. Pure. */
export function judgeVerification(dir: string, stdout: string, code: number | null, signal: NodeJS.Signals | null, stderr: string): EddyError | undefined {
  const lines = stdout.split("\n").filter(Boolean);
  const refused = lines.find((line) => line.startsWith("refused "));
  if (refused) {
    const { code: errorCode, message } = JSON.parse(refused.slice("refused ".length)) as { code: string; message: string };
    // The child's own refusals keep their code; anything else it threw is a store it cannot read.
    return new EddyError(isErrorCode(errorCode) && ERROR_CODES[errorCode].area === "recovery" ? errorCode : "RECOVERY_CORRUPT", message);
  }
  if (code === 0 && lines.at(-1) === "ok") return undefined;
  const checking = lines.filter((line) => line.startsWith("checking ")).at(-1)?.slice("checking ".length);
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
  const detail = stderr.trim().split("\n").filter(Boolean).slice(-3).join(" | ").slice(0, 500);
  return new EddyError(
    "RECOVERY_CORRUPT",
    `Recovery file ${checking ?? `in ${dir}`} is corrupt: reading it ${how}${detail ? ` (${detail})` : ""}; refusing to use it (nothing was changed).`,
  );
}

/**
 * The child's environment: the parent's without NODE_EXTRA_CA_CERTS. When that is set, Node
 * parses its root certificates and the file's as it starts (about 100 ms on the development
 * machine), and the child makes no TLS connection. Pure.
 *
 * ```ts
 * verifierEnvironment({ PATH: "/usr/bin", NODE_EXTRA_CA_CERTS: "/etc/ca.pem" }); // { PATH: "/usr/bin" }
 * ```
 */
export function verifierEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return rest;
}

/**
 * Checks every partition of the file store in `dir` (or those of the worker indexes `only`: a
 * process of a cluster checks its own) in a child process; throws RECOVERY_CORRUPT.
 */
export async function verifyStoreInChild(dir: string, only?: readonly number[]): Promise<void> {
  if (!existsSync(dir)) return;
  const child = spawn(process.execPath, [...process.execArgv, CHILD, dir, ...(only ?? []).map(String)], { stdio: ["ignore", "pipe", "pipe"], env: verifierEnvironment(process.env) });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  const refusal = judgeVerification(dir, stdout, code, signal, stderr);
  if (refusal) throw refusal;
}
