/**
 * The build's loader (node-runner/bin/chunkLoader.cjs) hands a file's exports to the files that
 * require it as plain values once the file has run (esbuild's CommonJS form exports through
 * getters, which every use of an imported name would call), and the getters still work for a
 * file that required it while it ran (an import cycle).
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { runEntry } = require("../../node-runner/bin/chunkLoader.cjs") as { runEntry: (path: string) => Record<string, unknown> };
const dir = mkdtempSync(join(tmpdir(), "eddy-loader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file exporting `names` the way esbuild's CommonJS output does: getters, defined before the values exist. */
const esbuildStyle = (body: string, names: readonly string[]) =>
  [
    "var exported = {};",
    `for (const [name, get] of Object.entries({ ${names.map((name) => `${name}: () => ${name}`).join(", ")} })) Object.defineProperty(exported, name, { get, enumerable: true });`,
    'Object.defineProperty(exported, "__esModule", { value: true });',
    "module.exports = exported;",
    body,
  ].join("\n");

describe("the build's loader", () => {
  it("gives a file that has run to the files requiring it as values, not getters", () => {
    writeFileSync(join(dir, "values.cjs"), esbuildStyle("class Batch {}\nconst limit = 16;", ["Batch", "limit"]));
    writeFileSync(
      join(dir, "user.cjs"),
      [
        'const imported = require("./values.cjs");',
        "module.exports = {",
        '  descriptor: Object.getOwnPropertyDescriptor(imported, "limit"),',
        "  limit: imported.limit,",
        "  batch: new imported.Batch() instanceof imported.Batch,",
        "  esModule: imported.__esModule,",
        "  names: Object.keys(imported),",
        "};",
      ].join("\n"),
    );
    const user = runEntry(join(dir, "user.cjs")) as { descriptor: PropertyDescriptor; limit: number; batch: boolean; esModule: boolean; names: string[] };
    expect(user.descriptor.get).toBeUndefined();
    expect(user.descriptor.value).toBe(16);
    expect(user.limit).toBe(16);
    expect(user.batch).toBe(true);
    expect(user.esModule).toBe(true);
    expect(user.names).toEqual(["Batch", "limit"]);
  });

  it("leaves a cycle working: the file that required it mid-run reads it through its getters", () => {
    writeFileSync(join(dir, "first.cjs"), esbuildStyle('const second = require("./second.cjs");\nconst answer = 42;\nconst viaSecond = () => second.readFirst();', ["answer", "viaSecond"]));
    writeFileSync(join(dir, "second.cjs"), esbuildStyle('const first = require("./first.cjs");\nconst readFirst = () => first.answer;', ["readFirst"]));
    const first = runEntry(join(dir, "first.cjs")) as { viaSecond: () => number; answer: number };
    expect(first.answer).toBe(42);
    expect(first.viaSecond()).toBe(42);
  });
});
