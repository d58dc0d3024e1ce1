/**
 * What the processes of a cluster compare before they run together: a canonical text of the flow,
 * which the host hashes (node-runner/cluster/handshake.ts). Two texts are equal when the flows do
 * the same thing; what only changes the look (a flow file's `ui` layout, key order, spacing) is
 * left out.
 *
 * - A flow file (JSON): its definition with object keys sorted and `ui` dropped. Paths stay as
 *   written (relative to the file), so the same file in other directories on other machines matches.
 * - A blueprint built in code (`Dataflow`): each step's kind, id, upstream steps, functions (their
 *   source text) and config (its type, its fields that are numbers, strings, booleans or functions;
 *   data in arrays and objects, such as a testing input's items, is not the flow's shape).
 */

import { upstreamOutput, upstreamStep, type Blueprint, type UpstreamRef } from "../dataflow/steps.js";

/** The canonical text of a flow definition (parsed JSON). */
export function flowDefinitionText(definition: unknown): string {
  if (definition !== null && typeof definition === "object" && !Array.isArray(definition)) {
    const { ui: _ui, ...rest } = definition as Record<string, unknown>;
    return canonicalJson(rest);
  }
  return canonicalJson(definition);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The canonical text of a blueprint. */
export function blueprintText(flow: Blueprint): string {
  return flow.steps
    .map((step) => {
      const fields = Object.entries(step)
        .filter(([key]) => key !== "op" && key !== "stepId" && key !== "upstream")
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${key}=${shallow(value, 1)}`);
      return `${step.op} ${JSON.stringify(step.stepId)} after ${step.upstream.map(refText).join(",")} ${fields.join(" ")}`;
    })
    .join("\n");
}

/** An upstream reference: the step's index, with `:late` for a window step's late output. */
function refText(ref: UpstreamRef): string {
  const output = upstreamOutput(ref);
  return output === "main" ? String(upstreamStep(ref)) : `${upstreamStep(ref)}:${output}`;
}

/** A value as far as it shapes the flow: primitives and function sources, configs one level deep. */
function shallow(value: unknown, depth: number): string {
  if (typeof value === "function") return `fn(${String(value)})`;
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
  if (Array.isArray(value) || depth === 0) return `[${Array.isArray(value) ? "array" : "object"}]`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  const fields = Object.keys(value)
    .sort()
    .map((key) => `${key}:${shallow((value as Record<string, unknown>)[key], depth - 1)}`);
  return `${typeof name === "string" ? name : "Object"}{${fields.join(",")}}`;
}
