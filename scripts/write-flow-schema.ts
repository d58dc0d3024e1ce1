/**
 * Writes schema/eddy-flow.schema.json, the JSON Schema of flow files for editors, from the zod
 * schema in engine/flow/schema.ts. Run it after changing the schema: `npx tsx scripts/write-flow-schema.ts`
 * (`--check` exits non-zero when the file is out of date instead of writing it).
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { flowJsonSchemaText } from "../engine/host/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FLOW_SCHEMA_PATH = join(root, "schema", "eddy-flow.schema.json");

const text = flowJsonSchemaText();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(FLOW_SCHEMA_PATH, "utf8");
  } catch {
    current = "";
  }
  if (current !== text) {
    process.stderr.write("schema/eddy-flow.schema.json is out of date: run npx tsx scripts/write-flow-schema.ts\n");
    process.exit(1);
  }
} else {
  mkdirSync(dirname(FLOW_SCHEMA_PATH), { recursive: true });
  writeFileSync(FLOW_SCHEMA_PATH, text);
  process.stdout.write(`wrote schema/eddy-flow.schema.json (${text.length} bytes)\n`);
}
