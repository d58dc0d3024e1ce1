/**
 * Writes the README's list of error codes from the table in engine/errorCodes.ts. Run it after
 * changing the table: `npx tsx scripts/write-error-codes.ts` (`--check` exits non-zero when the
 * README is out of date instead of writing it).
 */

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withErrorCodesSection } from "./lib/errorCodesReadme.js";

const README_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "README.md");

const current = readFileSync(README_PATH, "utf8");
const text = withErrorCodesSection(current);
if (process.argv.includes("--check")) {
  if (current !== text) {
    process.stderr.write("README.md's error codes are out of date: run npx tsx scripts/write-error-codes.ts\n");
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(README_PATH, text);
  process.stdout.write("wrote the error codes of README.md\n");
} else {
  process.stdout.write("README.md's error codes are up to date\n");
}
