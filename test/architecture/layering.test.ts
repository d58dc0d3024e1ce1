/**
 * The layers hold (layerRules.ts): engine/ is isomorphic and free of module-level state; studio/
 * and node-runner/ reach it through engine/api/ or the host door only and never each other; bench/
 * and examples/ use the public entries. `npm run typecheck` also compiles engine/ alone with the ES
 * library only (tsconfig.engine.json), which catches uses of DOM or Node globals.
 */

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { violationsOf } from "./layerRules.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === ".venv") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith(".test.ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function violationsIn(dir: string): { files: number; problems: string[] } {
  const files = sourceFiles(join(root, dir));
  return { files: files.length, problems: files.flatMap((file) => violationsOf(relative(root, file).split(sep).join("/"), readFileSync(file, "utf8"))) };
}

describe("the layers", () => {
  for (const [dir, minimum] of [["engine", 40], ["studio", 30], ["node-runner", 20], ["bench", 5], ["examples", 1]] as const) {
    it(`${dir}/ keeps its layer's rules`, () => {
      const { files, problems } = violationsIn(dir);
      expect(files).toBeGreaterThan(minimum);
      expect(problems).toEqual([]);
    });
  }

  it("the check catches a deliberate violation of each rule", () => {
    const cases: [path: string, source: string, expected: string][] = [
      ["engine/x.ts", 'import { readFileSync } from "node:fs";', "imports Node module node:fs"],
      ["engine/x.ts", 'import fs from "fs";', "imports Node module fs"],
      ["engine/a/x.ts", 'export { x } from "../../studio/app.js";', "imports studio/app.js from outside engine/"],
      ["engine/a/x.ts", 'const m = await import("../../node-runner/cli.js");', "imports node-runner/cli.js from outside engine/"],
      ["engine/x.ts", 'import "react";', "imports package react"],
      ["engine/x.ts", "document.title = 'x';", "uses a DOM global: document."],
      ["engine/x.ts", "process.exit(1);", "uses a Node global: process."],
      ["engine/x.ts", "let registered = 0;", "has mutable module-level state: let registered"],
      ["engine/x.ts", "const adapters = new Map<string, number>();\nexport const register = (t: string) => adapters.set(t, 1);", "a module-level collection adapters that it changes"],
      ["studio/a/x.ts", 'import { run } from "../../node-runner/cli.js";', "studio/ and node-runner/ do not import each other"],
      ["node-runner/x.ts", 'import { App } from "../studio/ui/App.js";', "node-runner/ and studio/ do not import each other"],
      ["studio/a/x.ts", 'import { Worker } from "../../engine/runtime/worker.js";', "hosts reach the engine through engine/api/ or engine/host/index.js only"],
      ["bench/x.ts", 'import { runMain } from "../engine/api/execution.js";', "bench/ and examples/ use the public entries (eddy/*) only"],
      ["examples/a/x.ts", 'import { flow } from "../../studio/state/steps.js";', "bench/ and examples/ use the public entries (eddy/*) only"],
    ];
    for (const [path, source, expected] of cases) expect(violationsOf(path, source).join("\n"), `${path}: ${source}`).toContain(expected);
    // What each layer may do passes.
    expect(violationsOf("studio/a/x.ts", 'import { engineHost } from "../../engine/host/index.js";\nimport { Dataflow } from "../../engine/api/dataflow.js";')).toEqual([]);
    expect(violationsOf("bench/x.ts", 'import { runMain } from "eddy/execution";')).toEqual([]);
    expect(violationsOf("engine/x.ts", "function f() { let n = 0; return n; }\nconst LIMIT = 3;\nconst KINDS = new Set([1]);\nexport const known = (k: number) => KINDS.has(k);")).toEqual([]);
  });
});
