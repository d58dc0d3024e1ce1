/**
 * Finds the runner's build (dist/runner/, runnerBuild.js) for the `eddy` bin, and never hands
 * back a stale one. Where the TypeScript sources are here (this repository), the build is checked
 * against them: when a file that went into it (manifest.json's `inputs`) was modified after the
 * build started, or is gone, or the build is missing, it is rebuilt first (esbuild, about a
 * second), so an edit is always what runs. Where the sources are not here (an installed package),
 * the build is used as it is. Checking costs one `stat` per source file (about 190); the build
 * script is loaded only to rebuild.
 */

import { BUNDLE_DIR, MANIFEST, ROOT, requireBuiltin } from "./runnerPaths.js";

const { existsSync, readFileSync, statSync } = requireBuiltin("node:fs");
const { join } = requireBuiltin("node:path");
const { pathToFileURL } = requireBuiltin("node:url");

const CLI = join(BUNDLE_DIR, "cli.js");
const SOURCE = join(ROOT, "node-runner/cli.ts");

/** Why the build cannot be used as it is (missing, or the first input changed since), or undefined when it is fresh. */
export function staleness() {
  if (!existsSync(CLI)) return "it is missing";
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
  } catch {
    return "its manifest is missing or unreadable";
  }
  if (typeof manifest?.builtAt !== "number" || !Array.isArray(manifest.inputs)) return "its manifest is not one this launcher wrote";
  for (const input of manifest.inputs) {
    let modified;
    try {
      modified = statSync(join(ROOT, input)).mtimeMs;
    } catch {
      // A bundled package's lock file may be absent (installed without one); a source file may not.
      if (input.startsWith("node_modules/")) continue;
      return `${input} is gone`;
    }
    if (modified >= manifest.builtAt) return `${input} changed since it was built`;
  }
  return undefined;
}

/**
 * The URL of a fresh cli.js. In a checkout with the sources, a stale or missing build is rebuilt;
 * throws (with what to do) when it is stale and esbuild is not installed to rebuild it.
 */
export async function freshRunner() {
  if (!existsSync(SOURCE)) {
    if (!existsSync(CLI)) throw new Error(`the runner's build is missing (${CLI}); reinstall the package`);
    return pathToFileURL(CLI);
  }
  const stale = staleness();
  if (stale !== undefined) {
    try {
      // The build script (and esbuild) only when there is something to build.
      const { buildRunner } = await import("./runnerBuild.js");
      await buildRunner();
    } catch (error) {
      const reason = error?.code === "ERR_MODULE_NOT_FOUND" ? "esbuild is not installed (run `npm ci`)" : (error?.message ?? String(error));
      throw new Error(`the runner's build in ${BUNDLE_DIR} cannot be used (${stale}) and rebuilding it failed: ${reason}`);
    }
  }
  return pathToFileURL(CLI);
}
