/**
 * The runner's build keeps class and function names (esbuild's keepNames, for error reports)
 * without redefining a name that is already right: a class whose `name` is redefined becomes a
 * dictionary-mode object, and V8 then runs `instanceof` on it through its slow path (the input's
 * poll loop tests `item instanceof ItemBatch` for every item). runnerBuild.js namesKeptInPlace
 * rewrites esbuild's helper; this checks the rewrite, that a class it names stays a fast object
 * (V8's own %HasFastProperties, in a child Node with --allow-natives-syntax) while esbuild's
 * helper made it slow, and that the build on disk has only the rewritten helper.
 */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a JavaScript module of the bin (no declarations).
import { namesKeptInPlace } from "../../node-runner/bin/runnerBuild.js";
import { eddy } from "./cli.js";

const keep = namesKeptInPlace as (code: string) => { code: string; helpers: number };

/** esbuild's helper as commonJsForm prints it (the form namesKeptInPlace looks for). */
const ESBUILD_HELPER = 'var __defProp2=Object.defineProperty;var __name=(target,value)=>__defProp2(target,"name",{value,configurable:true});';

/** Runs `helper` then names two classes with it (one already named so, one renamed); prints whether each is a fast object and its name. */
function namedClasses(helper: string): { fast: boolean[]; names: string[] } {
  const script = [
    helper,
    'var ItemBatch=class{static{__name(this,"ItemBatch")}};',
    'var Batch2=class{static{__name(this,"Batch")}};',
    "console.log(JSON.stringify({ fast: [%HasFastProperties(ItemBatch), %HasFastProperties(Batch2)], names: [ItemBatch.name, Batch2.name] }));",
  ].join("\n");
  const run = spawnSync(process.execPath, ["--allow-natives-syntax", "-e", script], { encoding: "utf8", timeout: 30_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { fast: boolean[]; names: string[] };
}

describe("names kept in the runner's build", () => {
  it("rewrites esbuild's __name helper so that it leaves a right name alone, and counts it", () => {
    const { code, helpers } = keep(`${ESBUILD_HELPER}var x=1;`);
    expect(helpers).toBe(1);
    expect(code).toContain('__name=(target,value)=>target.name===value?target:__defProp2(target,"name",{value,configurable:true})');
    expect(keep("var nothing=1;")).toEqual({ code: "var nothing=1;", helpers: 0 });
  });

  it("keeps a class it names a fast object, where esbuild's helper made it a slow one; both give every class its name", () => {
    expect(namedClasses(ESBUILD_HELPER)).toEqual({ fast: [false, false], names: ["ItemBatch", "Batch"] });
    // The renamed class still gets its name (and is the one left slow).
    expect(namedClasses(keep(ESBUILD_HELPER).code)).toEqual({ fast: [true, false], names: ["ItemBatch", "Batch"] });
  });

  it("leaves only the rewritten helper in the build", { timeout: 120_000 }, async () => {
    // Any command runs the build, rebuilt first when a source is newer.
    expect((await eddy(["--help"])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "../../dist/runner/manifest.json"), "utf8")) as { outputs: Record<string, string[]> };
    const files = Object.keys(manifest.outputs);
    let rewritten = 0;
    for (const file of files) {
      const code = readFileSync(join(import.meta.dirname, "../../dist/runner", file), "utf8");
      expect(code, file).not.toMatch(/__name=\(target,value\)=>__defProp/);
      rewritten += code.match(/__name=\(target,value\)=>target\.name===value\?target:/g)?.length ?? 0;
    }
    expect(rewritten).toBeGreaterThan(0);
  });
});
