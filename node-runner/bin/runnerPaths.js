/**
 * Where the runner's build lives (runnerBuild.js writes it, runnerBundle.js finds it): the
 * repository or installed package root, dist/runner/ and its manifest.json. Apart from the build
 * script so that the `eddy` bin's start loads only what it uses. Node's modules are loaded with
 * `require`: an ESM import of a built-in reads all its exports, which costs milliseconds at every start.
 *
 * ```js
 * import { BUNDLE_DIR } from "./runnerPaths.js"; // ".../dist/runner"
 * ```
 */

import { createRequire } from "node:module";

/** `require`, for Node's built-in modules. */
export const requireBuiltin = createRequire(import.meta.url);

const { join } = requireBuiltin("node:path");
const { fileURLToPath } = requireBuiltin("node:url");

/** The repository (or installed package) root, two levels above this file. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE_DIR = join(ROOT, "dist/runner");
export const MANIFEST = join(BUNDLE_DIR, "manifest.json");
