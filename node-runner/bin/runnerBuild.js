/**
 * The runner's build: esbuild bundles the TypeScript runner into JavaScript in dist/runner/, so
 * that `eddy` compiles no TypeScript when it starts and loads a few files instead of some 450
 * modules. Three entries, each built on its own (nothing shared between them: they never load in
 * the same thread), each started by a stub of its name:
 *
 *   cli.js                the `eddy` command (node-runner/cli.ts)
 *   threadMain.cjs        what each worker thread runs (threads/threadEntry.ts finds it)
 *   verifyStoreChild.cjs  the child process that checks a file recovery store (recovery/verifyInChild.ts)
 *
 * Each entry's code is in `NAME-HASH.cjs`, and what a run may not need is split off into chunks
 * beside it (`cli-NAME-HASH.cjs`, `threadMain-NAME-HASH.cjs`), loaded by the dynamic `import()`s of
 * the sources only when used: a command's code once it is chosen, the flow schema (zod) once the
 * worker threads are started, prom-client with `--metrics-port`, a recovery store's code with
 * recovery, Kafka's with a Kafka step or store. Every file is in CommonJS form and run by
 * loader.cjs (chunkLoader.cjs) with V8's code cache, saved beside each file after its first run;
 * the hash in its name changes with its contents. Node's built-in modules are loaded with
 * `require` (builtinsByRequire below).
 *
 * Packages with native code or loaded on demand stay packages of node_modules: lmdb (native, only
 * with a file recovery store), kafkajs (only with a Kafka step or store), msgpackr (only with
 * recovery). Everything else (the engine, zod, acorn, commander, prom-client) is inside the build.
 *
 * manifest.json records when the build started and which of the repository's files went into it
 * (runnerBundle.js compares their modification times, so an edited source is never run stale),
 * and which files (sources and packages) each output holds. Each file is written to a temporary
 * name and renamed, the stubs after the files they run and the manifest last: two builds at once
 * (two `eddy` commands after an edit) each leave complete files. Files of earlier builds and their
 * caches are removed once a day old (a process started before a rebuild may still load its own).
 * `npm run build` and `npm ci` (the `prepare` script) run it: `node node-runner/bin/runnerBuild.js`,
 * which then runs the new build once to write its code cache (warmCodeCache).
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

import { BUNDLE_DIR, MANIFEST, ROOT } from "./runnerPaths.js";

export { BUNDLE_DIR, MANIFEST, ROOT };

const ENTRY_POINTS = {
  cli: "node-runner/cli.ts",
  threadMain: "node-runner/threads/threadMain.ts",
  verifyStoreChild: "node-runner/recovery/verifyStoreChild.ts",
};

/**
 * Each entry's stub. The sources find threadMain and verifyStoreChild beside their own file with
 * its extension (threads/threadEntry.ts, recovery/verifyInChild.ts): .cjs, as the build's files.
 */
const STUBS = { cli: "cli.js", threadMain: "threadMain.cjs", verifyStoreChild: "verifyStoreChild.cjs" };

/** Loaded from node_modules when used, not bundled (native code, or only some flows need them). */
const EXTERNAL = ["lmdb", "kafkajs", "msgpackr", "esbuild", "tsx"];

/** Files of an earlier build are removed after this long (a process started before may still load one). */
const KEEP_OLD_FILES_MS = 24 * 60 * 60 * 1000;

/** The loader of the build's files (copied into it as loader.cjs). */
const LOADER = join(ROOT, "node-runner/bin/chunkLoader.cjs");

/** Files outside the sources whose change makes the build stale: this file (how it builds), the bundled packages' versions. */
const ALSO_DEPENDS_ON = ["node-runner/bin/runnerBuild.js", "node-runner/bin/runnerPaths.js", "node-runner/bin/chunkLoader.cjs", "package.json", "node_modules/.package-lock.json"];

/** Marks the repository's TypeScript modules free of import side effects (esbuild's `sideEffects: false`). */
const ownModulesArePure = {
  name: "own-modules-are-pure",
  setup(build) {
    build.onResolve({ filter: /^\.{1,2}\// }, async (args) => {
      if (args.pluginData === "pure" || !args.importer.startsWith(ROOT) || args.importer.includes("/node_modules/")) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "pure" });
      if (resolved.errors.length > 0 || resolved.path.includes("/node_modules/")) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * Node's built-in modules through `require` (`__eddyRequire`, which chunkLoader.cjs gives every
 * file: a name no source declares, some declare a `require` of their own) rather than ESM imports. An ESM import
 * of a built-in makes its module namespace, which reads every export: `node:fs`'s and
 * `node:crypto`'s lazy getters then load what they hide (fs/promises, WebCrypto), some 5 to 10 ms
 * each at a start; `require` touches only what is used. The runner's own imports of built-ins
 * (`import { a, b as c } from "node:x"`, `import x from "node:x"`, one line each) are rewritten
 * into `const` declarations of `require` results as the file is loaded; `import type` lines go.
 * No module is made for a built-in, so none becomes a chunk of its own.
 */
const builtinsByRequire = {
  name: "builtins-by-require",
  setup(build) {
    build.onLoad({ filter: /\/node-runner\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return { contents: requireBuiltins(source, args.path), loader: "ts" };
    });
  },
};

/** `source` with each import of a `node:` module made a `require` (see builtinsByRequire); throws on a form it does not know. */
export function requireBuiltins(source, path = "source") {
  return source.replace(/^import\s+(type\s+)?(.*?)\s+from\s+"(node:[\w/]+)";$/gm, (line, typeOnly, clause, name) => {
    if (typeOnly) return "";
    const required = `__eddyRequire(${JSON.stringify(name)})`;
    const named = /^\{(.*)\}$/.exec(clause);
    if (named) {
      const bindings = named[1].split(",").map((part) => part.trim()).filter((part) => part !== "" && !part.startsWith("type "));
      if (bindings.length === 0) return "";
      return `const { ${bindings.map((binding) => binding.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, "$1: $2")).join(", ")} } = ${required};`;
    }
    if (/^(\*\s+as\s+)?[\w$]+$/.test(clause)) return `const ${clause.replace(/^\*\s+as\s+/, "")} = ${required};`;
    throw new Error(`${path}: cannot rewrite the import of ${name}: ${line}`);
  });
}

/**
 * Builds dist/runner/ with esbuild (a devDependency: present wherever the sources are developed).
 * Returns the manifest written: `{ builtAt, inputs, outputs }`, inputs relative to the root,
 * outputs by file name with the inputs each holds.
 */
export async function buildRunner() {
  const builtAt = Date.now();
  const { build, transform } = await import("esbuild");
  const results = await Promise.all(Object.entries(ENTRY_POINTS).map(([name, entry]) => buildEntry(build, name, entry)));
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const written = new Set();
  const write = (path, contents) => {
    writeAtomically(path, contents);
    written.add(basename(path));
  };
  // Every file in CommonJS form (chunkLoader.cjs runs them), then the loader, then the entries'
  // stubs: a stub never names a file not yet there.
  let namers = 0;
  for (const result of results) {
    for (const file of result.outputFiles) {
      const { code, helpers } = namesKeptInPlace(await commonJsForm(transform, file.text));
      namers += helpers;
      write(file.path, code);
    }
  }
  if (namers === 0) throw new Error("runnerBuild: esbuild's __name helper (keepNames) was not found in the build; namesKeptInPlace must learn its new form");
  write(join(BUNDLE_DIR, "loader.cjs"), readFileSync(LOADER, "utf8"));
  for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
    const output = results.flatMap((result) => Object.entries(result.metafile.outputs)).find(([, meta]) => meta.entryPoint === entry)[0];
    write(join(BUNDLE_DIR, STUBS[name]), entryStub(STUBS[name], basename(output)));
  }
  const inputs = new Set(results.flatMap((result) => Object.keys(result.metafile.inputs)));
  const sources = [...inputs].filter((input) => !input.startsWith("node_modules/"));
  // What each output file holds (its inputs with code in it): what a test of the start-up compares with what loaded.
  const outputs = Object.fromEntries(
    results.flatMap((result) => Object.entries(result.metafile.outputs))
      .filter(([path]) => path.endsWith(".cjs"))
      .map(([path, output]) => [basename(path), Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([input]) => input)]),
  );
  const manifest = { builtAt, inputs: [...sources, ...ALSO_DEPENDS_ON], outputs };
  writeAtomically(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  removeOldFiles(written);
  return manifest;
}

/**
 * An output of the split build (an ES module) as chunkLoader.cjs runs it: its imports of other
 * files `require` calls, its exports `module.exports`, `import()` a promise of a `require`,
 * `import.meta.url` the file's URL. Built-ins are required through `__eddyRequire` (builtinsByRequire).
 */
async function commonJsForm(transform, code) {
  const result = await transform(code, {
    format: "cjs",
    platform: "node",
    target: "node20",
    supported: { "dynamic-import": false },
    define: { "import.meta.url": "__eddyImportMetaUrl" },
    minifyWhitespace: true,
    logLevel: "silent",
  });
  return result.code;
}

/** esbuild's keepNames helper, as commonJsForm prints it: `__name(fn, "name")` defines `fn.name`. */
const NAME_HELPER = /__name=\(target,value\)=>(__defProp\d*)\(target,"name",\{value,configurable:true\}\)/g;

/**
 * `code` with esbuild's `__name` helper changed to leave a name that is already right alone, and
 * how many helpers it changed. keepNames calls it on every class and function, most of which
 * already have their name (`var ItemBatch = class {...}` names the class); redefining `name`
 * turns a class into a slow, dictionary-mode object, on which V8 no longer optimizes
 * `instanceof`: `item instanceof ItemBatch` in the input's poll loop cost about 50 ns per item,
 * a fifth of a worker thread's time on W1 (CPU profile, 5M items: 300 ms against 80 ms).
 * A name esbuild changed (`ItemBatch2`, two modules' names that collide) is still set.
 */
export function namesKeptInPlace(code) {
  let helpers = 0;
  const changed = code.replace(NAME_HELPER, (_helper, defineProperty) => {
    helpers += 1;
    return `__name=(target,value)=>target.name===value?target:${defineProperty}(target,"name",{value,configurable:true})`;
  });
  return { code: changed, helpers };
}

/**
 * What Node runs for an entry: the loader, running the entry's file. cli.js is an ES module (the
 * bin imports it); the others are CommonJS, which a worker thread or a child process loads without
 * starting Node's ES module loader (some 10 ms).
 */
function entryStub(stub, file) {
  const comment = `// The runner's build: ${file} and the files it requires, run by loader.cjs with V8's code cache.\n`;
  if (stub.endsWith(".cjs")) return `${comment}"use strict";\nrequire("./loader.cjs").runEntry(require("node:path").join(__dirname, ${JSON.stringify(file)}));\n`;
  return `${comment}import { createRequire } from "node:module";\ncreateRequire(import.meta.url)("./loader.cjs").runEntry(new URL(${JSON.stringify(`./${file}`)}, import.meta.url));\n`;
}

/** One entry and its chunks (`NAME-HASH.cjs`, `NAME-CHUNK-HASH.cjs`), ES modules in memory. */
export function buildEntry(build, name, entry) {
  return build({
    absWorkingDir: ROOT,
    entryPoints: { [name]: entry },
    outdir: BUNDLE_DIR,
    // Names that change with the contents (a code cache is kept per name), beside each other: code
    // that finds a file next to its own (threads/threadEntry.ts, recovery/verifyInChild.ts) finds the entries' stubs.
    entryNames: "[name]-[hash]",
    chunkNames: `${name}-[name]-[hash]`,
    // CommonJS once commonJsForm has made them so.
    outExtension: { ".js": ".cjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // Class and function names appear in error reports (an error's name, a stack).
    keepNames: true,
    // Less to parse at every start. Identifiers are kept: the stuck-call inspector evaluates an
    // expression naming the call wrapper's parameters (threads/stuckArguments.ts).
    minifyWhitespace: true,
    minifySyntax: true,
    // The repository's own modules have no import side effects: what a bundle does not use is left
    // out, even when a barrel (engine/host/index.ts) re-exports it; the threads' bundle has no zod.
    plugins: [ownModulesArePure, builtinsByRequire],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
}

/** Files of earlier builds (their code caches too) that this one did not write, once KEEP_OLD_FILES_MS old. */
function removeOldFiles(written) {
  const chunk = new RegExp(`^(${Object.keys(ENTRY_POINTS).join("|")})-[^.]+\\.c?js(\\..+\\.(cache|tmp))?$`);
  try {
    for (const name of readdirSync(BUNDLE_DIR)) {
      if (!chunk.test(name) || written.has(name)) continue;
      const path = join(BUNDLE_DIR, name);
      // The cache of a file this build wrote stays (a temporary file left by a crash does not).
      const ofWritten = name.endsWith(".cache") && written.has(name.replace(/\.cjs\..*$/, ".cjs"));
      if (!ofWritten && Date.now() - statSync(path).mtimeMs > KEEP_OLD_FILES_MS) rmSync(path, { force: true });
    }
  } catch {
    // Only housekeeping.
  }
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * Runs the new build once on a one-item flow (`eddy run FLOW -w 1`, output discarded), so that the
 * V8 code cache of what a run loads is there before the first user's run (chunkLoader.cjs writes it
 * as a run ends; a Docker image takes it from its build stage). Only `npm run build` and `npm ci`
 * do this (the script below), not the bin's rebuild of a stale build. Whether it worked or not, the
 * build is the same: a run without a cache writes it.
 */
export function warmCodeCache() {
  const dir = mkdtempSync(join(tmpdir(), "eddy-warm-"));
  try {
    const flow = join(dir, "warm.json");
    const steps = [
      { id: "one", op: "input", input: { type: "function", fn: "function* () { yield [1, 'warm']; }" } },
      { id: "out", op: "capture", after: ["one"], output: { type: "stdout" } },
    ];
    writeFileSync(flow, JSON.stringify({ format: "eddy.flow", version: 1, name: "warm", steps }));
    spawnSync(process.execPath, [join(ROOT, "node-runner/bin/eddy.js"), "run", flow, "-w", "1"], { stdio: "ignore", timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { inputs } = await buildRunner();
    warmCodeCache();
    process.stdout.write(`built the runner into ${BUNDLE_DIR} (${inputs.length} source files)\n`);
  } catch (error) {
    // Installed without devDependencies (`npm ci --omit=dev` in a checkout): the bin says what to do when run.
    if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error?.message).includes("esbuild")) {
      process.stderr.write("did not build the runner: esbuild (a devDependency) is not installed\n");
    } else {
      process.stderr.write(`cannot build the runner: ${error?.message ?? String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
