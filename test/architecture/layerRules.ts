/**
 * The layers of the tree and what each may import, as a pure check of one file's text:
 *
 * - engine/ is the isomorphic ground: only its own files and a few isomorphic packages; no `node:*`,
 *   no DOM or Node globals, and no mutable module-level state (a top-level `let`, or a top-level
 *   Map, Set, WeakMap or WeakSet that the module changes), so that two runs in one process cannot
 *   reach each other.
 * - studio/ and node-runner/ are hosts: they reach the engine only through its public entries
 *   (engine/api/, published as `eddy/*`) or the host door (engine/host/index.ts), and never each other.
 * - bench/ and examples/ are users: public entries (`eddy/*`) only, no relative import into
 *   engine/, studio/ or node-runner/.
 *
 * ```ts
 * violationsOf("studio/x.ts", 'import { a } from "../node-runner/cli.js";'); // ["studio/x.ts imports node-runner/cli.js: ..."]
 * ```
 */

import { builtinModules } from "node:module";
import { posix } from "node:path";

/** Packages that run unchanged in Node and browsers, which the engine may use. */
const ISOMORPHIC_PACKAGES = new Set(["msgpackr", "zod", "acorn"]);

const DOM_GLOBALS = /(?<![.\w$])(?:window|document|navigator|localStorage|sessionStorage|indexedDB|HTMLElement|XMLHttpRequest|location)\s*[.[(]/;
const NODE_GLOBALS = /(?<![.\w$])(?:process|Buffer|__dirname|__filename)\s*[.[(]|\brequire\s*\(/;
const MODULE_LET = /^let\s+([\w$]+)/m;
const MODULE_COLLECTION = /^(?:export\s+)?const\s+([\w$]+)\s*(?::[^=]+)?=\s*new\s+(?:Map|Set|WeakMap|WeakSet)\b/gm;

/**
 * Module-level collections that are not state of a run: identity side tables keyed by objects
 * (which error an error context belongs to), never read to decide what a run does.
 */
const ALLOWED_COLLECTIONS = new Set(["engine/errors.ts:contexts", "engine/errors.ts:boxes"]);

/** Every module specifier in static imports, re-exports and dynamic imports. */
export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

function layerOf(path: string): "engine" | "host" | "user" | undefined {
  const top = path.split("/")[0];
  if (top === "engine") return "engine";
  if (top === "studio" || top === "node-runner") return "host";
  if (top === "bench" || top === "examples") return "user";
  return undefined;
}

/** Source without comments and string contents (for the checks of globals and state). */
function codeOf(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
}

/** The rules `path` (relative to the repository, with /) breaks; empty when it keeps them all. */
export function violationsOf(path: string, source: string): string[] {
  const layer = layerOf(path);
  if (layer === undefined) return [];
  const problems: string[] = [];
  for (const specifier of importsOf(source)) {
    const relative = specifier.startsWith(".");
    const target = relative ? posix.normalize(posix.join(posix.dirname(path), specifier)) : specifier;
    if (layer === "engine") {
      if (specifier.startsWith("node:") || builtinModules.includes(specifier)) problems.push(`imports Node module ${specifier}`);
      else if (!relative && !ISOMORPHIC_PACKAGES.has(specifier)) problems.push(`imports package ${specifier}`);
      else if (relative && !target.startsWith("engine/")) problems.push(`imports ${target} from outside engine/`);
    } else if (layer === "host") {
      if (!relative) continue;
      const own = path.split("/")[0]!;
      const other = own === "studio" ? "node-runner/" : "studio/";
      if (target.startsWith(other)) problems.push(`imports ${target}: ${own}/ and ${other} do not import each other`);
      else if (target.startsWith("engine/") && !target.startsWith("engine/api/") && target !== "engine/host/index.js") {
        problems.push(`imports ${target}: hosts reach the engine through engine/api/ or engine/host/index.js only`);
      }
    } else if (relative && /^(engine|studio|node-runner)\//.test(target)) {
      problems.push(`imports ${target}: bench/ and examples/ use the public entries (eddy/*) only`);
    }
  }
  if (layer === "engine") {
    const code = codeOf(source);
    if (DOM_GLOBALS.test(code)) problems.push(`uses a DOM global: ${code.match(DOM_GLOBALS)![0]}`);
    if (NODE_GLOBALS.test(code)) problems.push(`uses a Node global: ${code.match(NODE_GLOBALS)![0]}`);
    if (MODULE_LET.test(code)) problems.push(`has mutable module-level state: let ${code.match(MODULE_LET)![1]}`);
    // A module-level collection is state when the module changes it (a constant lookup set is not).
    for (const match of code.matchAll(MODULE_COLLECTION)) {
      const name = match[1]!;
      const changed = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}\\.(?:set|add|delete|clear)\\(`).test(code);
      if (changed && !ALLOWED_COLLECTIONS.has(`${path}:${name}`)) problems.push(`has mutable module-level state: a module-level collection ${name} that it changes`);
    }
  }
  return problems.map((problem) => `${path} ${problem}`);
}
