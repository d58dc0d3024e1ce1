/**
 * Bundles plain ESM test fixtures that import the built engine (dist/) into single files a browser
 * can load: the engine's packages (msgpackr, idb) are bare imports that only a bundler resolves.
 * The bundle goes to a fresh temporary directory together with the given static files.
 */

import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";

export interface BrowserBundle {
  /** The directory to serve. */
  readonly dir: string;
  remove(): void;
}

export async function bundleForBrowser(entries: readonly string[], staticFiles: readonly string[] = []): Promise<BrowserBundle> {
  const dir = mkdtempSync(join(tmpdir(), "eddy-browser-"));
  await build({ entryPoints: [...entries], bundle: true, format: "esm", platform: "browser", target: "es2022", outdir: dir, logLevel: "silent" });
  for (const file of staticFiles) copyFileSync(file, join(dir, basename(file)));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
