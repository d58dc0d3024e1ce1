/**
 * What a worker thread runs: threadMain, as JavaScript. From a build, that is threadMain beside
 * this code with this code's extension: threadMain.cjs of the runner's build (dist/runner/, which
 * the `eddy` bin runs), threadMain.js of tsc's (dist/node-runner/). From the TypeScript
 * sources (`node --import tsx node-runner/cli.ts`, as some tests run it), loaders given with
 * --import do not reach worker threads on Node 20, and registering
 * tsx in every thread costs most of a second per thread; so the main thread bundles threadMain with
 * esbuild (a devDependency, present wherever tsx is) into one JavaScript file, with packages left
 * as imports of their absolute file URLs. The file is written once per content (named by its hash)
 * to node_modules/.cache/eddy-runner/ of this checkout, a cache only its owner writes (not a shared
 * temporary directory, where another user could plant a file to be run). When esbuild or the cache
 * is not available, each thread registers tsx itself.
 */

import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export type ThreadEntry =
  /** A JavaScript module to start the thread with. */
  | { readonly kind: "module"; readonly url: URL }
  /** Code to `eval` in the thread (it registers tsx, then imports the TypeScript entry). */
  | { readonly kind: "eval"; readonly code: string };

const source = new URL(`./threadMain${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const CACHE = fileURLToPath(new URL("../../node_modules/.cache/eddy-runner/", import.meta.url));
/** Bundles of older sources are removed after this long. */
const KEEP_MS = 24 * 60 * 60 * 1000;
let bundled: Promise<ThreadEntry> | undefined;

/** threadMain beside this code, when this is a build (JavaScript); undefined from the TypeScript sources. */
export function builtThreadModule(): URL | undefined {
  return extname(source.pathname) === ".ts" ? undefined : source;
}

export function threadEntry(): Promise<ThreadEntry> {
  if (extname(source.pathname) !== ".ts") return Promise.resolve({ kind: "module", url: source });
  bundled ??= bundle().catch(() => tsxEntry());
  return bundled;
}

function tsxEntry(): ThreadEntry {
  const tsx = import.meta.resolve("tsx/esm/api");
  return { kind: "eval", code: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });` };
}

async function bundle(): Promise<ThreadEntry> {
  const { build } = await import("esbuild");
  const { createHash } = await import("node:crypto");
  const result = await build({
    entryPoints: [fileURLToPath(source)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "packages-by-absolute-url",
        setup(builder) {
          // Packages stay imports (lmdb is native), by absolute URL so that the bundle can live anywhere.
          builder.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("node:")) return { path: args.path, external: true };
            return { path: import.meta.resolve(args.path), external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.text;
  const name = `thread-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`;
  const file = join(CACHE, name);
  if (!sameContent(file, code)) {
    mkdirSync(CACHE, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
    removeOldBundles(name);
  }
  return { kind: "module", url: pathToFileURL(file) };
}

function sameContent(file: string, code: string): boolean {
  try {
    return readFileSync(file, "utf8") === code;
  } catch {
    return false;
  }
}

function removeOldBundles(keep: string): void {
  try {
    for (const name of readdirSync(CACHE)) {
      const path = join(CACHE, name);
      if (name !== keep && name.startsWith("thread-") && Date.now() - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
    }
  } catch {
    // Only housekeeping.
  }
}
