/**
 * The example flows the studio offers to open. Built from a record of example JSON documents by
 * path, as Vite's `import.meta.glob("../../examples/*.json", { eager: true })` gives them (module
 * objects with a `default`) or as plain JSON values (tests read examples/*.json with node:fs).
 * The name is the file name without `.json`; the title and description come from the flow.
 */

import { FLOW_FORMAT, type FlowDefinition } from "../../engine/host/index.js";
import { isObject } from "./steps.js";

export interface Example {
  /** The file name without `.json`: "wordcount". */
  readonly name: string;
  /** A display title: "Word count". */
  readonly title: string;
  readonly description: string;
  readonly flow: FlowDefinition;
}

/** Another name for Example. */
export type ExampleFlow = Example;

/** The example a first visit opens. */
export const defaultExampleName = "wordcount";

const TITLES: Readonly<Record<string, string>> = { wordcount: "Word count" };

/** "windowed-count" → "Windowed count". */
function titleOf(name: string): string {
  const words = name.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function nameOf(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.json$/i, "");
}

/**
 * The examples in `modules` (path → JSON value or `{ default: value }`), the default example
 * first and then by name. Values that are not flow documents are left out.
 */
export function buildExamples(modules: Readonly<Record<string, unknown>>): Example[] {
  const examples: Example[] = [];
  for (const [path, module] of Object.entries(modules)) {
    const flow = isObject(module) && module.format === undefined && "default" in module ? module.default : module;
    if (!isObject(flow) || flow.format !== FLOW_FORMAT || !Array.isArray(flow.steps)) continue;
    const name = nameOf(path);
    examples.push({
      name,
      title: TITLES[name] ?? titleOf(name),
      description: typeof flow.description === "string" ? flow.description : "",
      flow: flow as FlowDefinition,
    });
  }
  const rank = (example: Example) => (example.name === defaultExampleName ? 0 : 1);
  return examples.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The example named `name`, else the default one, else the first (undefined when there are none). */
export function findExample(examples: readonly Example[], name: string = defaultExampleName): Example | undefined {
  return examples.find((example) => example.name === name) ?? examples.find((example) => example.name === defaultExampleName) ?? examples[0];
}
