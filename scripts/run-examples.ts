/**
 * `npm run examples`: runs every example in examples/ and prints its output under
 * a heading: the TypeScript programs with tsx, the flow files with the eddy runner (from a clean
 * state; what they write to examples/out/ is shown). Exits non-zero if any example fails.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const names = readdirSync(join(root, "examples")).sort();
const examples = names.filter((name) => name.endsWith(".ts"));
const flows = names.filter((name) => name.endsWith(".json"));
const eddy = join(root, "node-runner", "bin", "eddy.js");
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
for (const flow of flows) {
  process.stdout.write(`\n── npx eddy run examples/${flow} ${"─".repeat(Math.max(0, 46 - flow.length))}\n`);
  const out = join(root, "examples", "out");
  rmSync(out, { recursive: true, force: true });
  rmSync(join(root, "examples", "state"), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [eddy, "run", join("examples", flow)], { cwd: root, stdio: "inherit", timeout: 60_000 });
  if (existsSync(out)) {
    for (const file of readdirSync(out).sort()) {
      const lines = readFileSync(join(out, file), "utf8").split("\n").filter(Boolean);
      process.stdout.write(`examples/out/${file}: ${lines.length} lines, the first:\n${lines.slice(0, 5).join("\n")}\n`);
    }
  }
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`examples/${flow} failed (${result.error?.message ?? `exit code ${result.status}`})\n`);
  }
}
const total = examples.length + flows.length;
process.stdout.write(`\n${total - failed} of ${total} examples ran.\n`);
process.exit(failed === 0 ? 0 : 1);
