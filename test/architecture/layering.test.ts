/**
 * engine/ is the isomorphic core: it may import only its own files. No `node:*` or Node built-in
 * modules, no DOM, no studio/ or node-runner/. `npm run typecheck` also compiles engine/ alone with
 * the ES library only (tsconfig.engine.json), which catches uses of DOM or Node globals.
 */

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const engineDir = join(root, "engine");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every module specifier in static imports, re-exports and dynamic imports. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

/** Packages that run unchanged in Node and browsers, which the engine may use. */
const ISOMORPHIC_PACKAGES = new Set(["msgpackr", "zod", "acorn"]);

const DOM_GLOBALS = /(?<![.\w$])(?:window|document|navigator|localStorage|sessionStorage|indexedDB|HTMLElement|XMLHttpRequest|location)\s*[.[(]/;
const NODE_GLOBALS = /(?<![.\w$])(?:process|Buffer|__dirname|__filename)\s*[.[(]|\brequire\s*\(/;

function violations(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const problems: string[] = [];
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith("node:") || builtinModules.includes(specifier)) problems.push(`imports Node module ${specifier}`);
    else if (!specifier.startsWith(".") && !ISOMORPHIC_PACKAGES.has(specifier)) problems.push(`imports package ${specifier}`);
    else {
      const target = relative(root, resolve(dirname(file), specifier));
      if (!target.startsWith("engine/")) problems.push(`imports ${target} from outside engine/`);
    }
  }
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  if (DOM_GLOBALS.test(code)) problems.push(`uses a DOM global: ${code.match(DOM_GLOBALS)![0]}`);
  if (NODE_GLOBALS.test(code)) problems.push(`uses a Node global: ${code.match(NODE_GLOBALS)![0]}`);
  return problems.map((problem) => `${relative(root, file)} ${problem}`);
}

describe("engine/ stays isomorphic", () => {
  it("imports nothing but its own files: no node:*, no packages, no studio/ or node-runner/, no DOM or Node globals", () => {
    const files = sourceFiles(engineDir);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(violations)).toEqual([]);
  });

  it("the check catches each kind of violation", () => {
    const cases: Record<string, string> = {
      'import { readFileSync } from "node:fs";': "imports Node module node:fs",
      'import fs from "fs";': "imports Node module fs",
      'export { x } from "../../studio/app.js";': "imports studio/app.js from outside engine/",
      'const m = await import("../../node-runner/cli.js");': "imports node-runner/cli.js from outside engine/",
      'import "react";': "imports package react",
      "document.title = 'x';": "uses a DOM global: document.",
      "process.exit(1);": "uses a Node global: process.",
    };
    const dir = mkdtempSync(join(engineDir, ".layering-probe-"));
    try {
      for (const [source, expected] of Object.entries(cases)) {
        const file = join(dir, "probe.ts");
        writeFileSync(file, source);
        expect(violations(file).join("\n")).toContain(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

