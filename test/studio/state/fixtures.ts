/** The example flows (examples/*.json), read with node:fs as the studio gets them from Vite. */

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FlowDefinition } from "../../../engine/flow/index.js";

export const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples");

/** path → parsed JSON, like `import.meta.glob("../../examples/*.json", { eager: true, import: "default" })`. */
export function exampleModules(): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(examplesDir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => [`../../examples/${name}`, JSON.parse(readFileSync(join(examplesDir, name), "utf8")) as unknown]),
  );
}

export function exampleTexts(): [name: string, text: string][] {
  return readdirSync(examplesDir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => [name, readFileSync(join(examplesDir, name), "utf8")]);
}

export function exampleFlows(): [name: string, flow: FlowDefinition][] {
  return exampleTexts().map(([name, text]) => [name, JSON.parse(text) as FlowDefinition]);
}
