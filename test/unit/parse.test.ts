import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import * as engine from "../../engine/api/parse.js";
import * as node from "../../node-runner/entries/parse.js";

/** Runs `fn`, expecting an EddyError, and returns it. */
function caught(fn: () => unknown): EddyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EddyError);
    return error as EddyError;
  }
  throw new Error("expected an EddyError, but nothing was thrown");
}

function expectArgsError(fn: () => unknown, message: string): void {
  const error = caught(fn);
  expect(error.code).toBe("PARSE_INVALID_ARGS");
  expect(error.message).toBe(message);
}

function expectEnvError(fn: () => unknown, message: string | RegExp): void {
  const error = caught(fn);
  expect(error.code).toBe("PARSE_INVALID_ENV");
  if (typeof message === "string") expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

describe("clusterArgs", () => {
  it("clusterArgs reads -w and -n with defaults of 1", () => {
    expect(engine.clusterArgs([])).toEqual({ workerCountPerProc: 1, procCount: 1 });
    expect(engine.clusterArgs(["-w", "3"])).toEqual({ workerCountPerProc: 3, procCount: 1 });
    expect(engine.clusterArgs(["-n", "4"])).toEqual({ workerCountPerProc: 1, procCount: 4 });
    expect(engine.clusterArgs(["-w", "2", "-n", "5"])).toEqual({ workerCountPerProc: 2, procCount: 5 });
  });

  it("clusterArgs accepts values separate, attached and after an equals sign", () => {
    expect(engine.clusterArgs(["-w2", "-n3"])).toEqual({ workerCountPerProc: 2, procCount: 3 });
    expect(engine.clusterArgs(["-w=2", "-n=3"])).toEqual({ workerCountPerProc: 2, procCount: 3 });
    expect(engine.clusterArgs(["-w", "2", "-n3"])).toEqual({ workerCountPerProc: 2, procCount: 3 });
  });

  it("clusterArgs keeps the last of a repeated option", () => {
    expect(engine.clusterArgs(["-w", "2", "-w4"])).toEqual({ workerCountPerProc: 4, procCount: 1 });
  });

  it("clusterArgs rejects values that are not whole decimal numbers", () => {
    expectArgsError(() => engine.clusterArgs(["-w", "x"]), "argument -w: invalid int value: 'x'");
    expectArgsError(() => engine.clusterArgs(["-w", "1.5"]), "argument -w: invalid int value: '1.5'");
    expectArgsError(() => engine.clusterArgs(["-w", ""]), "argument -w: invalid int value: ''");
    expectArgsError(() => engine.clusterArgs(["-n", "0x10"]), "argument -n: invalid int value: '0x10'");
    expectArgsError(() => engine.clusterArgs(["-n1e3"]), "argument -n: invalid int value: '1e3'");
  });

  it("clusterArgs rejects zero and negative counts", () => {
    expectArgsError(() => engine.clusterArgs(["-w", "0"]), "argument -w: invalid positive int value: '0'");
    expectArgsError(() => engine.clusterArgs(["-n", "-2"]), "argument -n: invalid positive int value: '-2'");
    expectArgsError(() => engine.clusterArgs(["-w-1"]), "argument -w: invalid positive int value: '-1'");
  });

  it("clusterArgs reports an option without its value", () => {
    expectArgsError(() => engine.clusterArgs(["-w"]), "argument -w: expected one argument");
    expectArgsError(() => engine.clusterArgs(["-w", "-n", "2"]), "argument -w: expected one argument");
  });

  it("clusterArgs reports unrecognized arguments", () => {
    expectArgsError(() => engine.clusterArgs(["--foo"]), "unrecognized arguments: --foo");
    expectArgsError(() => engine.clusterArgs(["-w", "2", "-x", "bar"]), "unrecognized arguments: -x bar");
    expectArgsError(() => engine.clusterArgs(["--", "-w", "2"]), "unrecognized arguments: -w 2");
    expect(() => engine.clusterArgs(["--foo"])).toThrowError(/^unrecognized arguments: --foo$/);
  });
});

describe("procArgs", () => {
  it("procArgs reads -p and repeated -a in order, with -w defaulting to 1", () => {
    expect(engine.procArgs(["-p", "0", "-a", "localhost:2101", "-a", "localhost:2102"])).toEqual({
      workerCountPerProc: 1,
      procId: 0,
      addresses: ["localhost:2101", "localhost:2102"],
    });
  });

  it("procArgs accepts attached values and keeps the last -w and -p", () => {
    expect(engine.procArgs(["-w2", "-p1", "-ahost-a:1", "-w", "3", "-a", "host-b:2", "-p", "0"])).toEqual({
      workerCountPerProc: 3,
      procId: 0,
      addresses: ["host-a:1", "host-b:2"],
    });
  });

  it("procArgs requires -p and -a", () => {
    expectArgsError(() => engine.procArgs([]), "the following arguments are required: -p, -a");
    expectArgsError(() => engine.procArgs(["-a", "h:1"]), "the following arguments are required: -p");
    expectArgsError(() => engine.procArgs(["-p", "0"]), "the following arguments are required: -a");
  });

  it("procArgs rejects a bad process id or worker count", () => {
    expectArgsError(() => engine.procArgs(["-p", "one", "-a", "h:1"]), "argument -p: invalid int value: 'one'");
    expectArgsError(
      () => engine.procArgs(["-p", "-1", "-a", "h:1"]),
      "argument -p: invalid non-negative int value: '-1'",
    );
    expectArgsError(() => engine.procArgs(["-w", "0", "-p", "0", "-a", "h:1"]), "argument -w: invalid positive int value: '0'");
  });

  it("procArgs reports missing values and unrecognized arguments", () => {
    expectArgsError(() => engine.procArgs(["-p", "0", "-a"]), "argument -a: expected one argument");
    expectArgsError(() => engine.procArgs(["-p", "0", "-a", "h:1", "--foo"]), "unrecognized arguments: --foo");
  });

  it("procArgs reports missing required options before unrecognized ones, as argparse does", () => {
    expectArgsError(() => engine.procArgs(["--foo"]), "the following arguments are required: -p, -a");
  });
});

describe("procEnv", () => {
  const base = { EDDY_WORKERS_PER_PROCESS: "2", EDDY_ADDRESSES: "a:1;b:2", EDDY_PROCESS_ID: "1" };

  it("procEnv reads workers, ;-separated addresses and the process id", () => {
    expect(engine.procEnv(base)).toEqual({ workerCountPerProc: 2, addresses: ["a:1", "b:2"], procId: 1 });
  });

  it("procEnv requires EDDY_WORKERS_PER_PROCESS to be a positive integer", () => {
    expectEnvError(() => engine.procEnv({ ...base, EDDY_WORKERS_PER_PROCESS: undefined }), "EDDY_WORKERS_PER_PROCESS is not set");
    expectEnvError(
      () => engine.procEnv({ ...base, EDDY_WORKERS_PER_PROCESS: "abc" }),
      "EDDY_WORKERS_PER_PROCESS must be an integer; got 'abc'",
    );
    expectEnvError(
      () => engine.procEnv({ ...base, EDDY_WORKERS_PER_PROCESS: "1.5" }),
      "EDDY_WORKERS_PER_PROCESS must be an integer; got '1.5'",
    );
    expectEnvError(
      () => engine.procEnv({ ...base, EDDY_WORKERS_PER_PROCESS: "0" }),
      "EDDY_WORKERS_PER_PROCESS must be a positive integer; got '0'",
    );
  });

  it("procEnv requires EDDY_PROCESS_ID to be a non-negative integer", () => {
    expectEnvError(() => engine.procEnv({ ...base, EDDY_PROCESS_ID: "abc" }), "EDDY_PROCESS_ID must be an integer; got 'abc'");
    expectEnvError(() => engine.procEnv({ ...base, EDDY_PROCESS_ID: "0x1" }), "EDDY_PROCESS_ID must be an integer; got '0x1'");
    expectEnvError(
      () => engine.procEnv({ ...base, EDDY_PROCESS_ID: "-1" }),
      "EDDY_PROCESS_ID must be a non-negative integer; got '-1'",
    );
  });

  it("procEnv needs EDDY_ADDRESSES or EDDY_HOSTFILE_PATH", () => {
    expectEnvError(() => engine.procEnv({ ...base, EDDY_ADDRESSES: undefined }), "set EDDY_ADDRESSES or EDDY_HOSTFILE_PATH");
    expectEnvError(() => engine.procEnv({ ...base, EDDY_ADDRESSES: "" }), /EDDY_ADDRESSES lists no addresses/);
  });

  it("procEnv prefers EDDY_ADDRESSES over EDDY_HOSTFILE_PATH", () => {
    const env = { ...base, EDDY_HOSTFILE_PATH: "/does/not/exist" };
    expect(engine.procEnv(env).addresses).toEqual(["a:1", "b:2"]);
  });

  it("procEnv without a file reader says host files need one", () => {
    const env = { ...base, EDDY_ADDRESSES: undefined, EDDY_HOSTFILE_PATH: "/etc/eddy/hosts" };
    expectEnvError(
      () => engine.procEnv(env),
      /EDDY_HOSTFILE_PATH .*host files can only be read where a file reader is available \(Node\)/,
    );
  });

  it("procEnv reads a host file through the reader it is given", () => {
    const env = { ...base, EDDY_ADDRESSES: undefined, EDDY_HOSTFILE_PATH: "hosts.txt" };
    const paths: string[] = [];
    const result = engine.procEnv(env, (path) => {
      paths.push(path);
      return "x:1\ny:2\n";
    });
    expect(paths).toEqual(["hosts.txt"]);
    expect(result.addresses).toEqual(["x:1", "y:2"]);
  });

  it("procEnv takes the process id from the pod name without the stateful set prefix", () => {
    const env = { ...base, EDDY_PROCESS_ID: undefined, EDDY_POD_NAME: "eddy-flow-3", EDDY_STATEFULSET_NAME: "eddy-flow" };
    expect(engine.procEnv(env).procId).toBe(3);
    expect(engine.procEnv({ ...env, EDDY_POD_NAME: "eddy-flow-0" }).procId).toBe(0);
  });

  it("procEnv prefers EDDY_PROCESS_ID over the pod name", () => {
    const env = { ...base, EDDY_PROCESS_ID: "5", EDDY_POD_NAME: "eddy-3", EDDY_STATEFULSET_NAME: "eddy" };
    expect(engine.procEnv(env).procId).toBe(5);
  });

  it("procEnv needs EDDY_PROCESS_ID or EDDY_POD_NAME with EDDY_STATEFULSET_NAME", () => {
    const env = { ...base, EDDY_PROCESS_ID: undefined };
    expectEnvError(() => engine.procEnv(env), "set EDDY_PROCESS_ID or EDDY_POD_NAME (with EDDY_STATEFULSET_NAME)");
    expectEnvError(
      () => engine.procEnv({ ...env, EDDY_POD_NAME: "eddy-1" }),
      /EDDY_POD_NAME is set but EDDY_STATEFULSET_NAME is not/,
    );
  });

  it("procEnv rejects a pod name that does not start with the stateful set prefix", () => {
    const env = { ...base, EDDY_PROCESS_ID: undefined, EDDY_POD_NAME: "other-1", EDDY_STATEFULSET_NAME: "eddy" };
    expectEnvError(
      () => engine.procEnv(env),
      "EDDY_POD_NAME 'other-1' does not start with EDDY_STATEFULSET_NAME 'eddy' followed by '-'",
    );
  });

  it("procEnv rejects a pod name whose suffix is not an integer", () => {
    const env = { ...base, EDDY_PROCESS_ID: undefined, EDDY_POD_NAME: "eddy-x", EDDY_STATEFULSET_NAME: "eddy" };
    expectEnvError(() => engine.procEnv(env), "EDDY_POD_NAME 'eddy-x' must end in a non-negative integer after 'eddy-'; got 'x'");
  });

  it("procEnv defaults to an empty environment in the engine", () => {
    expectEnvError(() => engine.procEnv(), "EDDY_WORKERS_PER_PROCESS is not set");
  });
});

describe("Node entry", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "eddy-parse-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("procEnv under Node reads a host file from disk, trimming lines and dropping blank ones", () => {
    const hostfile = join(dir, "hosts");
    writeFileSync(hostfile, "  host-0:2101  \n\n host-1:2101\r\n   \nhost-2:2101", "utf8");
    const env = { EDDY_WORKERS_PER_PROCESS: "4", EDDY_HOSTFILE_PATH: hostfile, EDDY_PROCESS_ID: "2" };
    expect(node.procEnv(env)).toEqual({
      workerCountPerProc: 4,
      addresses: ["host-0:2101", "host-1:2101", "host-2:2101"],
      procId: 2,
    });
  });

  it("procEnv under Node reports a host file that cannot be read, naming the path", () => {
    const missing = join(dir, "missing");
    const env = { EDDY_WORKERS_PER_PROCESS: "1", EDDY_HOSTFILE_PATH: missing, EDDY_PROCESS_ID: "0" };
    const error = caught(() => node.procEnv(env));
    expect(error.code).toBe("PARSE_INVALID_ENV");
    expect(error.message).toContain(`EDDY_HOSTFILE_PATH '${missing}' could not be read`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("procEnv under Node reports a host file with no addresses", () => {
    const hostfile = join(dir, "empty");
    writeFileSync(hostfile, "\n  \n", "utf8");
    const env = { EDDY_WORKERS_PER_PROCESS: "1", EDDY_HOSTFILE_PATH: hostfile, EDDY_PROCESS_ID: "0" };
    expectEnvError(() => node.procEnv(env), `EDDY_HOSTFILE_PATH '${hostfile}' lists no addresses`);
  });

  it("procEnv under Node reads process.env by default", () => {
    const saved = { ...process.env };
    try {
      process.env["EDDY_WORKERS_PER_PROCESS"] = "3";
      process.env["EDDY_ADDRESSES"] = "n:1";
      process.env["EDDY_PROCESS_ID"] = "0";
      expect(node.procEnv()).toEqual({ workerCountPerProc: 3, addresses: ["n:1"], procId: 0 });
    } finally {
      for (const name of ["EDDY_WORKERS_PER_PROCESS", "EDDY_ADDRESSES", "EDDY_PROCESS_ID"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it("clusterArgs and procArgs under Node parse the arguments they are given like the engine ones", () => {
    expect(node.clusterArgs(["-w2", "-n", "3"])).toEqual({ workerCountPerProc: 2, procCount: 3 });
    expect(node.procArgs(["-p", "1", "-a", "a:1", "-a", "b:2"])).toEqual({
      workerCountPerProc: 1,
      procId: 1,
      addresses: ["a:1", "b:2"],
    });
    expectArgsError(() => node.clusterArgs(["--foo"]), "unrecognized arguments: --foo");
  });

  it("clusterArgs under Node reads process.argv by default", () => {
    const saved = process.argv;
    try {
      process.argv = ["node", "script.js", "-w", "5", "-n2"];
      expect(node.clusterArgs()).toEqual({ workerCountPerProc: 5, procCount: 2 });
      process.argv = ["node", "script.js", "-w3", "-p", "0", "-a", "h:1"];
      expect(node.procArgs()).toEqual({ workerCountPerProc: 3, procId: 0, addresses: ["h:1"] });
    } finally {
      process.argv = saved;
    }
  });
});
