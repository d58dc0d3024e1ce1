/**
 * `npm start` until the studio exists: runs every TypeScript example in examples/ and prints its
 * output under a heading. Exits non-zero if any example fails.
 */

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const examples = readdirSync(join(root, "examples")).filter((name) => name.endsWith(".ts")).sort();
const tsx = join(root, "node_modules", ".bin", "tsx");
/** Arguments for examples that need some: the recovery example starts from a clean state each time. */
const ARGS: Record<string, string[]> = { "recoverable-count.ts": ["--fresh"] };

let failed = 0;
for (const example of examples) {
  process.stdout.write(`\n── examples/${example} ${"─".repeat(Math.max(0, 60 - example.length))}\n`);
  const result = spawnSync(tsx, [join("examples", example), ...(ARGS[example] ?? [])], { cwd: root, stdio: "inherit", timeout: 60_000 });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`examples/${example} failed (${result.error?.message ?? `exit code ${result.status}`})\n`);
  }
}
process.stdout.write(`\n${examples.length - failed} of ${examples.length} examples ran.\n`);
process.exit(failed === 0 ? 0 : 1);
