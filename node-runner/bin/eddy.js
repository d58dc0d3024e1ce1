#!/usr/bin/env node
/**
 * The `eddy` command (package.json "bin"). In this repository, after `npm ci`, it runs the
 * TypeScript CLI directly with tsx (a devDependency), registered in this same process, so there
 * is no build step and nothing stale: `npx eddy run examples/wordcount.json`. Where the sources
 * or tsx are absent (an installed package), it runs the built CLI from dist/ (`npm run build`).
 * One process either way: a signal or a kill reaches the runner itself, not a wrapper.
 */

import { existsSync } from "node:fs";

const source = new URL("../cli.ts", import.meta.url);
const built = new URL("../../dist/node-runner/cli.js", import.meta.url);

async function tsxRegister() {
  try {
    return (await import("tsx/esm/api")).register;
  } catch {
    return undefined;
  }
}

const register = existsSync(source) ? await tsxRegister() : undefined;
if (register) {
  register();
  await import(source.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write("eddy: neither the TypeScript sources with tsx nor a build (dist/) is here; run `npm ci`, or `npm run build`\n");
  process.exit(1);
}
