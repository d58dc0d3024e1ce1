/**
 * After `npm run build`, the subpath imports of DESIGN section 3 work from a plain Node ESM script
 * (the package imports itself by name through its "exports" map), and each exports its names.
 */

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const EXPECTED: Record<string, string[]> = {
  "eddy/dataflow": ["Dataflow"],
  "eddy/execution": ["runMain", "clusterMain", "spawnCluster", "EpochConfig", "PeriodicEpochConfig", "TestingEpochConfig"],
  "eddy/inputs": ["InputConfig", "ManualInputConfig", "TestingInputConfig", "KafkaInputConfig", "distribute"],
  "eddy/outputs": ["OutputConfig", "ManualOutputConfig", "ManualEpochOutputConfig", "StdOutputConfig", "TestingOutputConfig", "TestingEpochOutputConfig", "KafkaOutputConfig"],
  "eddy/recovery": ["RecoveryConfig", "FileRecoveryConfig", "IndexedDbRecoveryConfig", "KafkaRecoveryConfig", "MemoryRecoveryConfig"],
  "eddy/window": ["ClockConfig", "SystemClockConfig", "TestingClockConfig", "EventClockConfig", "WindowConfig", "TumblingWindowConfig", "SlidingWindowConfig", "SessionWindowConfig"],
  "eddy/parse": ["clusterArgs", "procArgs", "procEnv"],
  "eddy/flow": ["parseFlow", "validateFlow", "compileFlow", "FLOW_FORMAT_VERSION"],
};

function runNode(script: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 20_000, env: { ...process.env, ...env } });
}

describe("the built package", () => {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/engine/api/dataflow.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  });

  it("exports every subpath's names to a plain Node ESM script", () => {
    const script = `
      const names = {};
      for (const path of ${JSON.stringify(Object.keys(EXPECTED))}) names[path] = Object.keys(await import(path)).sort();
      console.log(JSON.stringify(names));`;
    const names = JSON.parse(runNode(script)) as Record<string, string[]>;
    for (const [path, expected] of Object.entries(EXPECTED)) expect(names[path], path).toEqual(expect.arrayContaining(expected));
  });

  it("runs a flow from a plain Node ESM script, writing to the real standard output", () => {
    const script = `
      import { Dataflow } from "eddy/dataflow";
      import { runMain } from "eddy/execution";
      import { TestingInputConfig } from "eddy/inputs";
      import { StdOutputConfig } from "eddy/outputs";
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([1, 2, 3]))
        .map((x) => ({ x, square: x * x }))
        .capture(new StdOutputConfig());
      await runMain(flow);`;
    expect(runNode(script)).toBe('{"x":1,"square":1}\n{"x":2,"square":4}\n{"x":3,"square":9}\n');
  });

  it("the Node entry of eddy/parse reads arguments and the environment by default", () => {
    const script = `
      import { procEnv } from "eddy/parse";
      console.log(JSON.stringify(procEnv()));`;
    const parsed = JSON.parse(runNode(script, { EDDY_WORKERS_PER_PROCESS: "2", EDDY_ADDRESSES: "a:1;b:2", EDDY_PROCESS_ID: "1" }));
    expect(parsed).toEqual({ workerCountPerProc: 2, addresses: ["a:1", "b:2"], procId: 1 });
  });
});
