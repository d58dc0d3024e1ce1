#!/usr/bin/env node
/**
 * The `eddy` command (package.json "bin"). It runs the runner's JavaScript build, dist/runner/cli.js
 * (runnerBuild.js: esbuild's bundle of the runner, made by `npm ci` and `npm run build`, whose
 * files run with V8's code cache): no TypeScript is compiled when it starts. In this repository the build is checked against the sources first and
 * rebuilt when one of them changed since (runnerBundle.js), so an edit is what runs, never a stale
 * build. One process: a signal or a kill reaches the runner itself, not a wrapper.
 */

import { prestartThread } from "./prestartThread.js";
import { freshRunner } from "./runnerBundle.js";

const cli = await freshRunner().catch((error) => {
  process.stderr.write(`eddy: ${error?.message ?? String(error)}\n`);
  process.exit(1);
});
// `eddy run`'s first worker thread starts now, from the fresh build, while the runner loads.
prestartThread(process.argv.slice(2));
await import(cli.href);
