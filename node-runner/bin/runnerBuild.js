/**
 * The runner's build: esbuild bundles the TypeScript runner into three JavaScript files in
 * dist/runner/, so that `eddy` compiles no TypeScript when it starts and loads three files instead
 * of some 450 modules:
 *
 *   cli.js               the `eddy` command (node-runner/cli.ts)
 *   threadMain.js        what each worker thread runs (threads/threadEntry.ts finds it beside cli.js)
 *   verifyStoreChild.js  the child process that checks a file recovery store (recovery/verifyInChild.ts)
 *
 * Packages with native code or loaded on demand stay imports of node_modules: lmdb (native, only
 * with a file recovery store), kafkajs (only with a Kafka step or store), msgpackr. Everything
 * else (the engine, zod, acorn, commander) is inside the bundle.
 *
 * manifest.json records when the build started and which of the repository's files went into it
 * (runnerBundle.js compares their modification times, so an edited source is never run stale).
 * Each file is written to a temporary name and renamed, the manifest last: two builds at once (two
 * `eddy` commands after an edit) each leave complete files. `npm run build` and `npm ci` (the
 * `prepare` script) run it: `node node-runner/bin/runnerBuild.js`.
 */

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository (or installed package) root, two levels above this file. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE_DIR = join(ROOT, "dist/runner");
export const MANIFEST = join(BUNDLE_DIR, "manifest.json");

const ENTRY_POINTS = {
  cli: "node-runner/cli.ts",
  threadMain: "node-runner/threads/threadMain.ts",
  verifyStoreChild: "node-runner/recovery/verifyStoreChild.ts",
};

/** Loaded from node_modules when used, not bundled (native code, or only some flows need them). */
const EXTERNAL = ["lmdb", "kafkajs", "msgpackr", "esbuild", "tsx"];

/** Files outside the sources whose change makes the build stale: this file (how it builds), the bundled packages' versions. */
const ALSO_DEPENDS_ON = ["node-runner/bin/runnerBuild.js", "package.json", "node_modules/.package-lock.json"];

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
 * Builds dist/runner/ with esbuild (a devDependency: present wherever the sources are developed).
 * Returns the manifest written: `{ builtAt, inputs }`, inputs relative to the root.
 */
export async function buildRunner() {
  const builtAt = Date.now();
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: BUNDLE_DIR,
    bundle: true,
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
    // Bundled CommonJS packages (commander) call require for Node's built-ins.
    banner: { js: 'import { createRequire as __eddyCreateRequire } from "node:module"; const require = __eddyCreateRequire(import.meta.url);' },
    // The repository's own modules have no import side effects: what a bundle does not use is left
    // out, even when a barrel (engine/host/index.ts) re-exports it; the threads' bundle has no zod.
    plugins: [ownModulesArePure],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("node_modules/"));
  const manifest = { builtAt, inputs: [...sources, ...ALSO_DEPENDS_ON] };
  writeAtomically(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { inputs } = await buildRunner();
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
