"use strict";
/**
 * Loads the files of the runner's build (dist/runner/, runnerBuild.js copies this file there as
 * loader.cjs) with V8's code cache. Each file is a module in CommonJS form (esbuild's split build,
 * its imports made `require` calls), run as a `vm.Script` in this thread's context: a file
 * requires another by "./NAME", which this loader loads once; anything else (Node's built-ins,
 * packages) goes to Node's `require`. `import.meta.url` in the sources is the file's own URL.
 *
 * The code cache: V8's compiled code of a file, saved beside it as NAME.cjs.WRAPPING-V8VERSION.cache
 * the first time the file runs without one (when the thread or process exits, so that it holds every
 * function that ran, not only the top level), and given to V8 the next time. A worker thread is
 * ended by its process's exit as often as it exits itself, so it asks for its caches to be written
 * before it reports its work done, with the process event WRITE_CACHES_EVENT (threadMain.ts). Parsing and compiling
 * are most of a start (the flow schema, acorn, the engine), and a cache makes them close to free.
 * Nothing stale can run: a file's name carries a hash of its contents (a new build writes new
 * names), its cache's name that name, how this loader wraps the file and V8's version; and V8
 * itself rejects a cache made by another V8, with other flags or for a source of another length
 * (all it compares of the source). A rejected cache is only a slower start: the file is compiled
 * from its source, as without a cache, and the cache written again. So is a cache that cannot be
 * read or written (a read-only install).
 *
 * ```js
 * require("./loader.cjs").runEntry(new URL("./cli-2K4F7X.cjs", import.meta.url));
 * ```
 */

const fs = require("node:fs");
const { createRequire } = require("node:module");
const { basename, dirname, join } = require("node:path");
const { fileURLToPath, pathToFileURL } = require("node:url");
const vm = require("node:vm");

/** The parameters of every file's function: CommonJS's, the file's URL, and `require` for built-ins (runnerBuild.js's builtinsByRequire). */
const PARAMETERS = "exports, require, module, __filename, __dirname, __eddyImportMetaUrl, __eddyRequire";
/** What V8 compiles is the file inside this (strict, as the ES modules it was built from). */
const BEFORE = `(function (${PARAMETERS}) {"use strict";`;
const AFTER = "\n})";
/**
 * In each cache's name with V8's version: a cache holds the code of the file inside BEFORE and
 * AFTER, so a loader that wraps files otherwise must not take it (V8 compares only the length of
 * the source with the one the cache was made from).
 */
const WRAPPING = fnv1a(BEFORE + AFTER);

/** The event (on `process`) that writes this thread's missing caches now; without this loader, nothing listens. */
const WRITE_CACHES_EVENT = "eddy:write-code-caches";

/** Loaded files by path: each runs once per thread. */
const loaded = new Map();
/** Files that ran without a usable cache: [script, cache path], written at exit. */
const uncached = [];
let writesAtExit = false;

/** The cache of `file` for this V8 and this wrapping. */
function cachePath(file) {
  return `${file}.${WRAPPING}-${process.versions.v8}.cache`;
}

/** A short hash of `text` (FNV-1a, 32 bits, in base 36). */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

function readCache(file) {
  try {
    return fs.readFileSync(cachePath(file));
  } catch {
    return undefined;
  }
}

/** Writes each missing cache (to a temporary name, then renamed: another process may be writing it too); errors are ignored. */
function writeCaches() {
  for (const [script, path] of uncached.splice(0)) {
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, path);
    } catch {
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // Nothing to clean.
      }
    }
  }
}

/** Runs `file` (an absolute path) once in this thread; its exports. */
function load(file) {
  const known = loaded.get(file);
  if (known) return known.exports;
  const module = { exports: {} };
  loaded.set(file, module);
  const source = fs.readFileSync(file, "utf8");
  const cachedData = readCache(file);
  const script = new vm.Script(`${BEFORE}${source}${AFTER}`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    uncached.push([script, cachePath(file)]);
    if (!writesAtExit) {
      writesAtExit = true;
      process.once("exit", writeCaches);
      process.on(WRITE_CACHES_EVENT, writeCaches);
    }
  }
  const directory = dirname(file);
  const nodeRequire = createRequire(file);
  const requireFile = (specifier) => (specifier.startsWith("./") && !specifier.includes("/", 2) ? load(join(directory, basename(specifier))) : nodeRequire(specifier));
  script.runInThisContext().call(module.exports, module.exports, requireFile, module, file, directory, pathToFileURL(file).href, nodeRequire);
  module.exports = withValues(module.exports);
  return module.exports;
}

/**
 * The exports of a file that has run, as plain values. esbuild's CommonJS form exports each name
 * through a getter (two, through its `__toCommonJS` copy), for ES modules' live bindings, and
 * every use of an imported name in another file calls them: on a hot path (an `instanceof
 * ItemBatch` per polled item, `assertKeyed` per keyed item), that was 5% of a worker thread's
 * time. Once a file has run, its exports no longer change (no source exports a `let` that it
 * reassigns), so the files that require it from then on get an object of values. A file that
 * required it while it ran (an import cycle) keeps the getters, which still work.
 */
function withValues(exports) {
  if (exports === null || typeof exports !== "object") return exports;
  const values = {};
  for (const name of Object.keys(exports)) values[name] = exports[name];
  if (exports.__esModule === true) Object.defineProperty(values, "__esModule", { value: true });
  return values;
}

/** Runs the entry file at `url` (a `file:` URL, or a path). */
function runEntry(url) {
  return load(typeof url === "string" && !url.startsWith("file:") ? url : fileURLToPath(url));
}

module.exports = { runEntry };
