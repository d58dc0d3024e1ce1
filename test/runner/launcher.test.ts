/**
 * The `eddy` bin (node-runner/bin/eddy.js): a plain `node node-runner/bin/eddy.js ...`, as `npx
 * eddy ...` runs it, with no --import flag, runs a flow file (through the runner's build,
 * dist/runner/; what it loads is in startup.test.ts).
 */

import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, lines } from "./cli.js";

describe("the eddy bin", () => {
  it("is executable and runs a flow file", { timeout: 30_000 }, () => {
    const bin = join(REPO, "node-runner/bin/eddy.js");
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const result = spawnSync(process.execPath, [bin, "run", "examples/sessionizer.json", "-w", "2"], { cwd: REPO, encoding: "utf8", timeout: 20_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(lines(result.stdout).sort()).toEqual(lines(readFileSync(join(REPO, "examples/expected/sessionizer.txt"), "utf8")).sort());
    const help = spawnSync(process.execPath, [bin, "--help"], { cwd: REPO, encoding: "utf8", timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("eddy run flow.json --recovery-dir ./state");
  });
});
