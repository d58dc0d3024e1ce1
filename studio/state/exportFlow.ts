/**
 * Export and import of flow files. The export is the document itself, pretty-printed with the
 * format's stable key order (formatFlow) and a final newline: import = export = the saved format.
 * Nothing is resolved or stripped: `{ "$env": NAME }` references stay references (the document
 * never holds their values), and `sample` and `ui` stay (the runner ignores them).
 *
 * Import reads the text (syntax errors come with their line and column), migrates older format
 * versions, and validates. A flow that is valid JSON but has problems is still imported, with its
 * problems, so that the user can fix it on the canvas; only text that is not a flow at all (not an
 * object, another `format`, `steps` not an array, a newer version) is refused.
 */

import { FLOW_FORMAT, formatFlow, migrateFlow, parseFlow, validateFlow, type FlowDefinition, type FlowProblem } from "../../engine/host/index.js";
import { isObject } from "./steps.js";

/** The flow file text of `doc`. */
export function exportFlow(doc: FlowDefinition): string {
  const text = formatFlow(doc);
  return text.endsWith("\n") ? text : `${text}\n`;
}

export type ImportResult =
  | { readonly ok: true; readonly doc: FlowDefinition; readonly problems: readonly FlowProblem[] }
  | { readonly ok: false; readonly problems: readonly FlowProblem[] };

/** Reads a flow file's text; see the module comment for what is refused. */
export function importFlow(text: string): ImportResult {
  const parsed = parseFlow(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  let value: unknown;
  try {
    value = migrateFlow(parsed.value);
  } catch {
    return { ok: false, problems: validateFlow(parsed.value) }; // FLOW_VERSION_NEWER, with its message
  }
  const problems = validateFlow(value);
  if (!isObject(value)) return { ok: false, problems };
  const at = (path: string) => {
    const found = problems.filter((problem) => problem.path === path);
    return found.length > 0 ? found : problems;
  };
  if (value.format !== FLOW_FORMAT) return { ok: false, problems: at("/format") };
  if (value.steps !== undefined && !Array.isArray(value.steps)) return { ok: false, problems: at("/steps") };
  if (value.steps === undefined) {
    const doc = { ...value, steps: [] } as unknown as FlowDefinition;
    return { ok: true, doc, problems: validateFlow(doc) };
  }
  const doc = value as FlowDefinition;
  return { ok: true, doc, problems };
}
