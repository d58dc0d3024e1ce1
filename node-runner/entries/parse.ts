/**
 * `eddy/parse` under Node: the isomorphic helpers of `engine/api/parse.ts` (a port of
 * `bytewax.parse`), defaulting to this process's arguments and environment and able to read
 * host files from disk.
 */

import { readFileSync } from "node:fs";
import * as engine from "../../engine/api/parse.js";

/** Reads a file as UTF-8 text, for `EDDY_HOSTFILE_PATH`. */
function readTextFile(path: string): string {
  return readFileSync(path, "utf8");
}

/** `-w` workers per process and `-n` processes, both defaulting to 1; reads `process.argv` by default. */
export function clusterArgs(
  argv: readonly string[] = process.argv.slice(2),
): { workerCountPerProc: number; procCount: number } {
  return engine.clusterArgs(argv);
}

/** `-w` workers per process (default 1), `-p` process id and repeated `-a` addresses; reads `process.argv` by default. */
export function procArgs(
  argv: readonly string[] = process.argv.slice(2),
): { workerCountPerProc: number; procId: number; addresses: string[] } {
  return engine.procArgs(argv);
}

/** The `EDDY_*` environment variables of a cluster process; reads `process.env` and host files on disk by default. */
export function procEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  readText: (path: string) => string = readTextFile,
): { workerCountPerProc: number; addresses: string[]; procId: number } {
  return engine.procEnv(env, readText);
}
