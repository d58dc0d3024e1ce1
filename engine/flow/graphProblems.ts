/** Validation, pass 2: the graph of steps: ids, `after` (and the outputs it names), cycles, inputs and captures. */

import { closestName } from "../closestName.js";
import { STEP_KINDS, outputsOf } from "../dataflow/steps.js";
import { parseAfterRef } from "./afterRef.js";
import { STEP_ID_PATTERN, stepIdSchema } from "./schema.js";
import { describe } from "./schemaProblems.js";
import { describeInactive, inactiveSteps, isInactive } from "./stepActivity.js";
import { Context, isObject, has, knownOp, shown, type Segment, type JsonObject } from "./validateContext.js";

// ---------------------------------------------------------------------------------------------
// 2. The graph

interface StepEntry {
  readonly index: number;
  readonly step: JsonObject;
  readonly id: string | undefined;
  readonly op: unknown;
}

export function graphProblems(context: Context): void {
  const steps = context.steps;
  if (!steps) return;
  const entries: StepEntry[] = [];
  steps.forEach((step, index) => {
    if (isObject(step)) entries.push({ index, step, id: typeof step.id === "string" ? step.id : undefined, op: step.op });
  });

  // Ids: present, strings, well formed, unique. The first step with an id is the one `after` finds.
  const byId = new Map<string, number>();
  for (const entry of entries) {
    const path = ["steps", entry.index, "id"];
    const { owner } = context.where(path);
    if (!has(entry.step, "id") || entry.step.id === undefined) {
      context.add("FLOW_MISSING_FIELD", path, `${owner}: \`id\` is missing; expected ${describe(stepIdSchema)}`);
    } else if (entry.id === undefined) {
      context.add("FLOW_WRONG_TYPE", path, `${owner}: \`id\` should be ${describe(stepIdSchema)}; got ${shown(entry.step.id)}`);
    } else {
      if (!STEP_ID_PATTERN.test(entry.id)) {
        context.add("FLOW_INVALID_STEP_ID", path, `${owner}: \`id\` should be ${describe(stepIdSchema)}; got ${shown(entry.id)}`);
      }
      const first = byId.get(entry.id);
      if (first === undefined) byId.set(entry.id, entry.index);
      else context.add("FLOW_DUPLICATE_STEP_ID", path, `${owner}: the id ${JSON.stringify(entry.id)} is already used by the step at /steps/${first}; step ids must be unique`);
    }
  }

  // `after`: edges from each upstream step to the step.
  const upstreamOf = new Map<number, number[]>();
  for (const entry of entries) {
    const path: Segment[] = ["steps", entry.index, "after"];
    const { owner } = context.where(path);
    const present = has(entry.step, "after") && entry.step.after !== undefined;
    if (entry.op === "input") {
      if (present) context.add("FLOW_INPUT_AFTER", path, `${owner}: an input starts a stream and takes no \`after\`; remove it, or use another step kind`);
      continue;
    }
    if (!present) {
      if (knownOp(entry.op) !== undefined) {
        const fix = context.activity.disabled.has(entry.index) ? "" : '; connect the step, or disable it ("disabled": true)';
        context.add("FLOW_MISSING_FIELD", path, `${owner}: \`after\` is missing; expected a non-empty array of step ids (the steps that feed this one)${fix}`);
      }
      continue;
    }
    const after = entry.step.after;
    if (!Array.isArray(after)) {
      context.add("FLOW_WRONG_TYPE", path, `${owner}: \`after\` should be a non-empty array of step ids; got ${shown(after)}`);
      continue;
    }
    if (after.length === 0) {
      context.add("FLOW_INVALID_VALUE", path, `${owner}: \`after\` should be a non-empty array of step ids (the steps that feed this one); got []`);
      continue;
    }
    const upstream: number[] = [];
    const named = new Set<string>();
    after.forEach((name, k) => {
      const at = [...path, k];
      const ref = `\`after[${k}]\``;
      if (typeof name !== "string") {
        context.add("FLOW_WRONG_TYPE", at, `${owner}: ${ref} should be a step id (a string); got ${shown(name)}`);
      } else if (named.has(name)) {
        context.add("FLOW_DUPLICATE_AFTER", at, `${owner}: ${ref} names ${JSON.stringify(name)} again; list each upstream step once`);
      } else {
        named.add(name);
        const { id, output } = parseAfterRef(name);
        const target = byId.get(id);
        if (target === entry.index) {
          context.add("FLOW_CYCLE", at, `${owner}: ${ref} names the step itself; a step cannot feed itself`);
        } else if (target === undefined) {
          // For `ID:OUTPUT`, only steps that have that output are worth suggesting; never the step's own id.
          const candidates = [...byId.entries()].filter(([, index]) => output === undefined || hasOutput(steps[index], output)).map(([name]) => name);
          const hint = closestId(id, candidates, entry.id);
          const suggestion = hint === undefined ? undefined : output === undefined ? hint : `${hint}:${output}`;
          context.add("FLOW_UNKNOWN_AFTER", at, `${owner}: ${ref} names ${JSON.stringify(id)}, but no step has that id${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""}`);
        } else {
          if (output !== undefined) outputProblem(context, at, `${owner}: ${ref}`, id, output, steps[target]);
          upstream.push(target);
        }
      }
    });
    upstreamOf.set(entry.index, upstream);
  }

  cycleProblems(context, upstreamOf);
  runningKindProblems(context, entries);
}

/**
 * Cycles among the steps that run are errors, on the cycle's first step. A cycle through a
 * disabled or skipped step cannot turn (that step passes nothing), so it is told on that step,
 * where it is a warning: enabling the step would close it.
 */
function cycleProblems(context: Context, upstreamOf: ReadonlyMap<number, readonly number[]>): void {
  const steps = context.steps!;
  const inactive = (index: number) => isInactive(context.activity, index);
  const running = new Map<number, number[]>();
  for (const [step, ups] of upstreamOf) if (!inactive(step)) running.set(step, ups.filter((up) => !inactive(up)));
  const report = (cycle: readonly number[], at: number) => {
    const start = cycle.indexOf(at);
    const turned = [...cycle.slice(start), ...cycle.slice(0, start)];
    const names = [...turned, at].map((index) => idOrIndex(steps[index], index)).join(" → ");
    const path = ["steps", at, "after"];
    context.add("FLOW_CYCLE", path, `${context.owner(path)} is part of a cycle: ${names} (each feeds the next); steps must form a DAG`);
  };
  for (const cycle of findCycles(steps.length, running)) report(cycle, cycle[0]!);
  for (const cycle of findCycles(steps.length, upstreamOf)) {
    const at = cycle.find(inactive);
    if (at !== undefined) report(cycle, at);
  }
}

/** At least one input and one capture, and at least one of each that runs (not disabled or skipped). */
function runningKindProblems(context: Context, entries: readonly StepEntry[]): void {
  for (const [kind, code] of [
    ["input", "FLOW_NO_INPUT"],
    ["capture", "FLOW_NO_CAPTURE"],
  ] as const) {
    const ofKind = entries.filter((entry) => entry.op === kind);
    if (ofKind.length === 0) {
      context.add(code, ["steps"], `The flow has no ${kind} step; expected at least one step with "op": "${kind}"`);
    } else if (ofKind.every((entry) => isInactive(context.activity, entry.index))) {
      const which = inactiveSteps(context.json, context.activity).filter((step) => ofKind.some((entry) => entry.index === step.index));
      const none = ofKind.length === 1 ? `The only ${kind} step does not run` : `No ${kind} step runs`;
      context.add(code, ["steps"], `${none}: ${which.map(describeInactive).join("; ")}; expected at least one ${kind} step that runs`);
    }
  }
}

function hasOutput(step: unknown, output: string): boolean {
  const op = isObject(step) ? knownOp(step.op) : undefined;
  return op !== undefined && (outputsOf(op) as readonly string[]).includes(output);
}

/** A problem when `after` names an output (`ID:OUTPUT`) that step ID does not have. */
function outputProblem(context: Context, at: readonly Segment[], where: string, id: string, output: string, step: unknown): void {
  const op = isObject(step) ? knownOp(step.op) : undefined;
  if (op === undefined) return; // an unknown kind: the schema pass reports it
  const outputs = outputsOf(op).filter((name) => name !== "main");
  if (outputs.includes(output as never)) return;
  const windowOps = Object.values(STEP_KINDS)
    .filter((kind) => kind.windowed)
    .map((kind) => kind.op)
    .join(", ");
  if (outputs.length === 0) {
    context.add(
      "FLOW_UNKNOWN_OUTPUT",
      at,
      `${where} names output ${JSON.stringify(output)} of step ${JSON.stringify(id)} (${op}), which has only its items; name it as ${JSON.stringify(id)} (only window steps, ${windowOps}, have a "late" output)`,
    );
    return;
  }
  const hint = closestName(output, outputs, 2);
  context.add(
    "FLOW_UNKNOWN_OUTPUT",
    at,
    `${where} names output ${JSON.stringify(output)} of step ${JSON.stringify(id)} (${op}), which has none of that name${hint ? ` (did you mean ${JSON.stringify(`${id}:${hint}`)}?)` : ""}; its outputs are ${JSON.stringify(id)} (its items) and ${outputs.map((name) => JSON.stringify(`${id}:${name}`)).join(", ")}`,
  );
}

function idOrIndex(step: unknown, index: number): string {
  return isObject(step) && typeof step.id === "string" ? JSON.stringify(step.id) : `/steps/${index}`;
}

/**
 * The cycles of the graph: one per strongly connected component with more than one step (steps
 * naming themselves are reported on their own), as the shortest cycle through the component's
 * first step in file order, in the direction items flow.
 */
function findCycles(count: number, upstreamOf: ReadonlyMap<number, readonly number[]>): number[][] {
  const downstream: number[][] = Array.from({ length: count }, () => []);
  for (const [step, ups] of upstreamOf) for (const up of ups) if (up !== step) downstream[up]!.push(step);
  for (const list of downstream) list.sort((a, b) => a - b);

  // Tarjan's algorithm, iteratively (flows may be long chains).
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, next: number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [node, next] = frame;
      const targets = downstream[node]!;
      if (next < targets.length) {
        frame[1] = next + 1;
        const target = targets[next]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = true;
          work.push([target, 0]);
        } else if (onStack[target]) {
          low[node] = Math.min(low[node]!, index[target]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === index[node]) {
        const component: number[] = [];
        for (;;) {
          const member = stack.pop()!;
          onStack[member] = false;
          component.push(member);
          if (member === node) break;
        }
        if (component.length > 1) components.push(component.sort((a, b) => a - b));
      }
    }
  }
  components.sort((a, b) => a[0]! - b[0]!);
  return components.map((component) => shortestCycle(component, downstream));
}

function shortestCycle(component: readonly number[], downstream: readonly (readonly number[])[]): number[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of downstream[node]!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const cycle = [node];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0]!)!);
        return cycle;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component];
}

/** The known id closest to a misspelt one (edit distance at most 2), for "did you mean"; never the naming step's own id. */
function closestId(name: string, ids: readonly string[], own: string | undefined): string | undefined {
  return closestName(name, ids, 2, own === undefined ? [] : [own]);
}

