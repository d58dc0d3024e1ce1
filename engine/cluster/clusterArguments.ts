/**
 * A cluster's shape read from command-line arguments or environment variables (behind
 * `eddy/parse`): a port of Bytewax 0.11's `bytewax.parse` with camelCase keys.
 *
 * Argument parsing follows Python argparse for short options (`-w 2`, `-w2` and `-w=2` all work,
 * a repeated option keeps its last value, `-a` appends) and reports errors in argparse's words.
 * This module is isomorphic: reading a host file needs a file reader, which the Node entry
 * (`node-runner/entries/parse.ts`) supplies.
 */

import { EddyError } from "../errors.js";

// ---------------------------------------------------------------------------------------------
// Integers

/** A whole decimal number, optionally signed, as Python's `int()` reads one (surrounding spaces allowed). */
const INT_PATTERN = /^[+-]?\d+$/;

function parseIntStrict(text: string): number | undefined {
  const trimmed = text.trim();
  if (!INT_PATTERN.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// A small argparse for short options that take one integer or string value each

interface OptionSpec {
  /** The option string, e.g. `-w`. */
  readonly flag: string;
  readonly kind: "positive int" | "non-negative int" | "string";
  /** `store` keeps the last value; `append` collects every value in order. */
  readonly action: "store" | "append";
  readonly required: boolean;
}

type ParsedValues = Map<string, (number | string)[]>;

function invalidArgs(message: string): EddyError {
  return new EddyError("PARSE_INVALID_ARGS", message);
}

/** argparse's test for a token that is a negative number rather than an option. */
function looksLikeNegativeNumber(token: string): boolean {
  return /^-\d+$|^-\d*\.\d+$/.test(token);
}

/** Whether argparse would take `token` for an option string (and so not for a value). */
function looksLikeOption(token: string): boolean {
  if (token === "--") return true;
  return token.length > 1 && token.startsWith("-") && !looksLikeNegativeNumber(token);
}

function convert(spec: OptionSpec, raw: string): number | string {
  if (spec.kind === "string") return raw;
  const value = parseIntStrict(raw);
  if (value === undefined) throw invalidArgs(`argument ${spec.flag}: invalid int value: '${raw}'`);
  if (spec.kind === "positive int" && value < 1) {
    throw invalidArgs(`argument ${spec.flag}: invalid positive int value: '${raw}'`);
  }
  if (spec.kind === "non-negative int" && value < 0) {
    throw invalidArgs(`argument ${spec.flag}: invalid non-negative int value: '${raw}'`);
  }
  return value;
}

/**
 * Parses `argv` against `specs` the way argparse would. Errors come in argparse's order: a bad
 * value as soon as it is met, then missing required options, then unrecognized arguments.
 */
function parseShortOptions(argv: readonly string[], specs: readonly OptionSpec[]): ParsedValues {
  const byFlag = new Map(specs.map((spec) => [spec.flag, spec] as const));
  const values: ParsedValues = new Map();
  const extras: string[] = [];

  const record = (spec: OptionSpec, raw: string): void => {
    const value = convert(spec, raw);
    const previous = values.get(spec.flag);
    if (spec.action === "append" && previous) previous.push(value);
    else values.set(spec.flag, [value]);
  };

  let i = 0;
  while (i < argv.length) {
    const token = argv[i] as string;
    i += 1;

    if (token === "--") {
      // Everything after `--` is positional, and these parsers take no positionals.
      extras.push(...argv.slice(i));
      break;
    }
    if (!looksLikeOption(token)) {
      extras.push(token);
      continue;
    }

    // `-w`: the value is the next token.
    const exact = byFlag.get(token);
    if (exact) {
      const next = argv[i];
      if (next === undefined || looksLikeOption(next)) {
        throw invalidArgs(`argument ${exact.flag}: expected one argument`);
      }
      i += 1;
      record(exact, next);
      continue;
    }

    // `-w=2`: the value follows an equals sign.
    const equals = token.indexOf("=");
    if (equals > 0) {
      const spec = byFlag.get(token.slice(0, equals));
      if (spec) {
        record(spec, token.slice(equals + 1));
        continue;
      }
    }

    // `-w2`: the value is stuck to a single-dash, single-letter option.
    if (!token.startsWith("--")) {
      const spec = byFlag.get(token.slice(0, 2));
      if (spec) {
        record(spec, token.slice(2));
        continue;
      }
    }

    extras.push(token);
  }

  const missing = specs.filter((spec) => spec.required && !values.has(spec.flag));
  if (missing.length > 0) {
    throw invalidArgs(`the following arguments are required: ${missing.map((s) => s.flag).join(", ")}`);
  }
  if (extras.length > 0) throw invalidArgs(`unrecognized arguments: ${extras.join(" ")}`);
  return values;
}

function lastInt(values: ParsedValues, flag: string, fallback: number): number {
  const all = values.get(flag);
  const last = all?.[all.length - 1];
  return typeof last === "number" ? last : fallback;
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Reads the shape of a cluster started from one place: `-w` workers per process (default 1) and
 * `-n` processes (default 1). Like `bytewax.parse.cluster_args`, for spreading the result into
 * `spawnCluster`.
 *
 * `argv` excludes the program name (in Node, `process.argv.slice(2)`; the Node entry defaults to
 * that). With no arguments, both counts are 1.
 */
export function clusterArgs(argv: readonly string[] = []): { workerCountPerProc: number; procCount: number } {
  const values = parseShortOptions(argv, [
    { flag: "-w", kind: "positive int", action: "store", required: false },
    { flag: "-n", kind: "positive int", action: "store", required: false },
  ]);
  return { workerCountPerProc: lastInt(values, "-w", 1), procCount: lastInt(values, "-n", 1) };
}

/**
 * Reads the place of one process in a cluster from arguments: `-w` workers per process
 * (default 1), `-p` this process's id (required) and `-a` the address of every process in the
 * cluster, once per process in id order (required). Like `bytewax.parse.proc_args`, for spreading
 * into `clusterMain`.
 */
export function procArgs(argv: readonly string[] = []): {
  workerCountPerProc: number;
  procId: number;
  addresses: string[];
} {
  const values = parseShortOptions(argv, [
    { flag: "-w", kind: "positive int", action: "store", required: false },
    { flag: "-p", kind: "non-negative int", action: "store", required: true },
    { flag: "-a", kind: "string", action: "append", required: true },
  ]);
  return {
    workerCountPerProc: lastInt(values, "-w", 1),
    procId: lastInt(values, "-p", 0),
    addresses: (values.get("-a") ?? []).map(String),
  };
}

function invalidEnv(message: string, cause?: unknown): EddyError {
  return new EddyError("PARSE_INVALID_ENV", message, cause === undefined ? undefined : { cause });
}

function envInt(name: string, raw: string, min: 0 | 1): number {
  const value = parseIntStrict(raw);
  if (value === undefined) throw invalidEnv(`${name} must be an integer; got '${raw}'`);
  if (value < min) {
    const kind = min === 1 ? "a positive" : "a non-negative";
    throw invalidEnv(`${name} must be ${kind} integer; got '${raw}'`);
  }
  return value;
}

/** Splits text into trimmed, non-blank entries. */
function entries(text: string, separator: string | RegExp): string[] {
  return text
    .split(separator)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * Reads the place of one process in a cluster from environment variables, as a Kubernetes
 * StatefulSet would set them. Like `bytewax.parse.proc_env`, with `EDDY_` for `BYTEWAX_`:
 *
 * - `EDDY_WORKERS_PER_PROCESS`: workers per process (required).
 * - `EDDY_ADDRESSES`: every process's address, `;`-separated; or else `EDDY_HOSTFILE_PATH`, a
 *   file with one address a line (lines trimmed, blank lines dropped), read with `readTextFile`.
 * - `EDDY_PROCESS_ID`: this process's id; or else `EDDY_POD_NAME` with the prefix
 *   `EDDY_STATEFULSET_NAME + "-"` removed (a pod `eddy-2` of the set `eddy` is process 2).
 *
 * Host files can be read only where a file reader is given; the Node entry passes one.
 */
export function procEnv(
  env: Readonly<Record<string, string | undefined>> = {},
  readTextFile?: (path: string) => string,
): { workerCountPerProc: number; addresses: string[]; procId: number } {
  const workersRaw = env["EDDY_WORKERS_PER_PROCESS"];
  if (workersRaw === undefined) throw invalidEnv("EDDY_WORKERS_PER_PROCESS is not set");
  const workerCountPerProc = envInt("EDDY_WORKERS_PER_PROCESS", workersRaw, 1);

  let addresses: string[];
  const addressesRaw = env["EDDY_ADDRESSES"];
  const hostfilePath = env["EDDY_HOSTFILE_PATH"];
  if (addressesRaw !== undefined) {
    addresses = entries(addressesRaw, ";");
    if (addresses.length === 0) throw invalidEnv(`EDDY_ADDRESSES lists no addresses; got '${addressesRaw}'`);
  } else if (hostfilePath !== undefined) {
    if (readTextFile === undefined) {
      throw invalidEnv(
        `EDDY_HOSTFILE_PATH is set to '${hostfilePath}', but host files can only be read where a file ` +
          "reader is available (Node); import eddy/parse under Node, pass a readTextFile function, " +
          "or set EDDY_ADDRESSES instead",
      );
    }
    let text: string;
    try {
      text = readTextFile(hostfilePath);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalidEnv(`EDDY_HOSTFILE_PATH '${hostfilePath}' could not be read: ${reason}`, error);
    }
    addresses = entries(text, /\r?\n/);
    if (addresses.length === 0) throw invalidEnv(`EDDY_HOSTFILE_PATH '${hostfilePath}' lists no addresses`);
  } else {
    throw invalidEnv("set EDDY_ADDRESSES or EDDY_HOSTFILE_PATH");
  }

  let procId: number;
  const procIdRaw = env["EDDY_PROCESS_ID"];
  const podName = env["EDDY_POD_NAME"];
  if (procIdRaw !== undefined) {
    procId = envInt("EDDY_PROCESS_ID", procIdRaw, 0);
  } else if (podName !== undefined) {
    const setName = env["EDDY_STATEFULSET_NAME"];
    if (setName === undefined) {
      throw invalidEnv(
        "EDDY_POD_NAME is set but EDDY_STATEFULSET_NAME is not; " +
          "set EDDY_PROCESS_ID or EDDY_POD_NAME (with EDDY_STATEFULSET_NAME)",
      );
    }
    const prefix = `${setName}-`;
    if (!podName.startsWith(prefix)) {
      throw invalidEnv(
        `EDDY_POD_NAME '${podName}' does not start with EDDY_STATEFULSET_NAME '${setName}' followed by '-'`,
      );
    }
    const ordinal = podName.slice(prefix.length);
    const value = parseIntStrict(ordinal);
    if (value === undefined || value < 0) {
      throw invalidEnv(
        `EDDY_POD_NAME '${podName}' must end in a non-negative integer after '${prefix}'; got '${ordinal}'`,
      );
    }
    procId = value;
  } else {
    throw invalidEnv("set EDDY_PROCESS_ID or EDDY_POD_NAME (with EDDY_STATEFULSET_NAME)");
  }

  return { workerCountPerProc, addresses, procId };
}
