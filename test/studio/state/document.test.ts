/** The document model: canvas derivation, edits, connection rules. */

import { describe, expect, it } from "vitest";
import { validateFlow, type FlowDefinition, type FlowStepOp, FLOW_STEP_OPS } from "../../../engine/flow/index.js";
import { parseAfterRef } from "../../../engine/flow/afterRef.js";
import {
  addStep,
  addStepAfter,
  afterEntryOf,
  canConnect,
  connect,
  connectionChoices,
  disconnect,
  flowToCanvas,
  moveSteps,
  newFlow,
  pinPositions,
  positionsOf,
  removeSteps,
  renameStep,
  setExecution,
  stepKeys,
  updateStepField,
  NODE_WIDTH,
  NODE_HEIGHT,
} from "../../../studio/state/document.js";
import { autoLayout } from "../../../studio/state/layout.js";
import { exampleFlows } from "./fixtures.js";

function afterPairs(doc: FlowDefinition): string[] {
  return doc.steps.flatMap((step) => ("after" in step && step.after ? step.after.map((from) => `${from}->${step.id}`) : [])).sort();
}

function stepOf(doc: FlowDefinition, id: string): Record<string, unknown> {
  return doc.steps.find((step) => step.id === id) as unknown as Record<string, unknown>;
}

describe("flowToCanvas", () => {
  it.each(exampleFlows())("%s: nodes are the steps, edges the after lists, positions kept", (_name, flow) => {
    const laidOut = autoLayout(flow);
    const { nodes, edges } = flowToCanvas(laidOut);
    expect(nodes.map((node) => node.id)).toEqual(flow.steps.map((step) => step.id));
    expect(nodes.map((node) => node.data)).toEqual(flow.steps.map((step) => ({ stepId: step.id, op: step.op })));
    expect(nodes.every((node) => node.type === "step" && Object.keys(node.data).length === 2)).toBe(true);
    expect(edges.map((edge) => edge.id).sort()).toEqual(afterPairs(flow));
    // An edge's id is its `after` entry and its target: "ID:late" leaves from the step's late handle.
    expect(edges.every((edge) => edge.id === `${afterEntryOf(edge.source, edge.sourceHandle)}->${edge.target}`)).toBe(true);
    for (const node of nodes) expect(node.position).toEqual(laidOut.ui!.positions![node.id]);
  });

  it.each(exampleFlows())("%s: without stored positions, fallbacks are columns by depth and never overlap", (_name, example) => {
    const { ui: _ui, ...flow } = example;
    const { nodes } = flowToCanvas(flow);
    for (const a of nodes)
      for (const b of nodes)
        if (a !== b) expect(Math.abs(a.position.x - b.position.x) >= NODE_WIDTH || Math.abs(a.position.y - b.position.y) >= NODE_HEIGHT).toBe(true);
    const x = Object.fromEntries(nodes.map((node) => [node.id, node.position.x]));
    for (const step of flow.steps) if ("after" in step) for (const from of step.after) expect(x[parseAfterRef(from).id]!).toBeLessThan(x[step.id]!);
  });

  it("places a step without a position next to positioned ones without overlap", () => {
    const doc = newFlow("t");
    const { doc: added } = addStep(doc, "map", { x: 0, y: 0 });
    const withMissing = { ...added, ui: { positions: { source: { x: 0, y: 0 } } } };
    const positions = Object.values(positionsOf(withMissing));
    expect(new Set(positions.map((p) => `${p.x},${p.y}`)).size).toBe(positions.length);
  });

  it("reuses unchanged nodes and edges from the previous canvas, and marks selection and problems", () => {
    const doc = newFlow("t");
    const first = flowToCanvas(doc);
    const moved = moveSteps(doc, { out: { x: 900, y: 50 } });
    const second = flowToCanvas(moved, undefined, { previous: first, selected: ["source"] });
    expect(second.nodes[1]).toBe(first.nodes[1]);
    expect(second.nodes[0]).not.toBe(first.nodes[0]);
    expect(second.nodes[0]!.selected).toBe(true);
    expect(second.nodes[2]!.position).toEqual({ x: 900, y: 50 });
    expect(second.edges[0]).toBe(first.edges[0]);
    const marked = flowToCanvas(doc, new Map([["transform", [{ code: "FLOW_FUNCTION_SYNTAX", path: "/steps/1/fn", message: "x" }]]]));
    expect(marked.nodes[1]!.className).toBe("eddy-step--invalid");
    expect(marked.nodes[1]!.data).toEqual({ stepId: "transform", op: "map" });
  });

  it("shows every step of an invalid document: missing and repeated ids get #index keys", () => {
    const doc = {
      format: "eddy.flow",
      version: 1,
      steps: [{ id: "a", op: "input", input: { type: "list", items: [] } }, { id: "a", op: "map", after: ["a"], fn: "x => x" }, { op: "capture", after: ["a"] }, null],
    } as unknown as FlowDefinition;
    expect(stepKeys(doc)).toEqual(["a", "#1", "#2", "#3"]);
    const { nodes, edges } = flowToCanvas(doc);
    expect(nodes.map((node) => node.data.op)).toEqual(["input", "map", "capture", "?"]);
    expect(edges.map((edge) => edge.id)).toEqual(["a->#1", "a->#2"]);
    const fixed = renameStep(doc, "#1", "b");
    expect(fixed.ok && stepKeys(fixed.doc)).toEqual(["a", "b", "#2", "#3"]);
  });
});

describe("edits", () => {
  it("newFlow is valid", () => {
    expect(validateFlow(newFlow("hello"))).toEqual([]);
  });

  it.each(FLOW_STEP_OPS.map((op) => [op]))("addStep(%s) gets a fresh id and a default that is valid once connected", (op: FlowStepOp) => {
    const base = newFlow("t");
    const { doc, id } = addStep(base, op, { x: 10, y: 20 });
    expect(id).toBe(`${op}_1`);
    expect(doc.ui!.positions![id]).toEqual({ x: 10, y: 20 });
    expect(base.steps).toHaveLength(3); // the original is untouched
    expect(doc.steps[0]).toBe(base.steps[0]); // structural sharing
    const connected = op === "input" ? connect(doc, id, "out") : connect(doc, "transform", id);
    expect(connected).not.toBe(doc);
    expect(validateFlow(connected)).toEqual([]);
    const again = addStep(connected, op, { x: 0, y: 0 });
    expect(again.id).toBe(`${op}_2`);
  });

  it("removeSteps removes them from after lists and positions", () => {
    const doc = removeSteps(newFlow("t"), ["transform"]);
    expect(doc.steps.map((step) => step.id)).toEqual(["source", "out"]);
    expect(stepOf(doc, "out").after).toBeUndefined();
    expect(Object.keys(doc.ui!.positions!)).toEqual(["source", "out"]);
    expect(removeSteps(doc, ["nope"])).toBe(doc);
    const merged = connect(connect(addStep(newFlow("t"), "input", { x: 0, y: 200 }).doc, "input_1", "transform"), "source", "out");
    const without = removeSteps(merged, ["input_1"]);
    expect(stepOf(without, "transform").after).toEqual(["source"]);
  });

  it("connect and disconnect edit after; an emptied after is removed", () => {
    const doc = newFlow("t");
    const extra = connect(doc, "source", "out");
    expect(stepOf(extra, "out").after).toEqual(["transform", "source"]);
    expect(disconnect(extra, "source", "out")).toEqual(doc);
    expect(stepOf(disconnect(doc, "source", "transform"), "transform").after).toBeUndefined();
    expect(disconnect(doc, "out", "source")).toBe(doc);
  });

  it("moveSteps stores positions and is a no-op when nothing moves", () => {
    const doc = newFlow("t");
    const moved = moveSteps(doc, { transform: { x: 5, y: 6 }, ghost: { x: 1, y: 1 } });
    expect(moved.ui!.positions!.transform).toEqual({ x: 5, y: 6 });
    expect(moved.ui!.positions!.ghost).toBeUndefined();
    expect(moveSteps(moved, { transform: { x: 5, y: 6 } })).toBe(moved);
  });

  it("renameStep follows references and positions, and refuses bad or taken ids", () => {
    const doc = newFlow("t");
    const renamed = renameStep(doc, "transform", "upper");
    expect(renamed.ok).toBe(true);
    if (!renamed.ok) return;
    expect(renamed.doc.steps.map((step) => step.id)).toEqual(["source", "upper", "out"]);
    expect(stepOf(renamed.doc, "out").after).toEqual(["upper"]);
    expect(renamed.doc.ui!.positions!.upper).toEqual(doc.ui!.positions!.transform);
    expect(renamed.doc.ui!.positions!.transform).toBeUndefined();
    expect(validateFlow(renamed.doc)).toEqual([]);
    expect(renameStep(doc, "transform", "has space")).toMatchObject({ ok: false, reason: expect.stringContaining("letter or digit") });
    expect(renameStep(doc, "transform", "out")).toMatchObject({ ok: false, reason: expect.stringContaining("already has") });
    expect(renameStep(doc, "nope", "x")).toMatchObject({ ok: false });
    expect(renameStep(doc, "transform", "transform")).toEqual({ ok: true, doc });
  });

  it("updateStepField sets fields; a block type change gives that type's defaults", () => {
    const doc = newFlow("t");
    const fn = updateStepField(doc, "transform", ["fn"], "x => x + 1");
    expect(stepOf(fn, "transform").fn).toBe("x => x + 1");
    expect(fn.steps[0]).toBe(doc.steps[0]);
    const kafka = updateStepField(doc, "source", ["input", "type"], "kafka");
    expect(stepOf(kafka, "source").input).toEqual({ type: "kafka", brokers: [{ $env: "KAFKA_BROKERS" }], topic: "input", tail: false });
    expect(validateFlow(kafka)).toEqual([]);
    expect(updateStepField(kafka, "source", ["input", "type"], "kafka")).toBe(kafka);
    const file = updateStepField(doc, "out", ["output", "type"], "file");
    expect(stepOf(file, "out").output).toEqual({ type: "file", path: "out/output.jsonl" });
    const windowed = connect(addStep(doc, "reduce_window", { x: 0, y: 0 }).doc, "transform", "reduce_window_1");
    const longer = updateStepField(windowed, "reduce_window_1", ["window", "length"], 60_000);
    expect(stepOf(longer, "reduce_window_1").window).toEqual({ type: "tumbling", length: 60_000 });
    const testing = updateStepField(longer, "reduce_window_1", ["clock", "type"], "testing");
    expect(validateFlow(testing)).toEqual([]);
    const labelled = updateStepField(doc, "transform", ["label"], "Upper");
    expect(updateStepField(labelled, "transform", ["label"], undefined)).toEqual(doc);
    expect(updateStepField(doc, "nope", ["fn"], "x")).toBe(doc);
  });

  it("updateStepField ['op'] changes the kind, keeping id, after and what fits", () => {
    const doc = newFlow("t");
    const filter = updateStepField(doc, "transform", ["op"], "filter");
    expect(stepOf(filter, "transform")).toEqual({ id: "transform", op: "filter", after: ["source"], fn: "item => item.toUpperCase()" });
    const stateful = updateStepField(doc, "transform", ["op"], "stateful_map");
    expect(stepOf(stateful, "transform")).toMatchObject({ id: "transform", op: "stateful_map", after: ["source"], builder: "() => 0" });
    expect(validateFlow(stateful)).toEqual([]);
    const renamed = updateStepField(doc, "transform", ["id"], "upper");
    expect(renamed.steps[1]!.id).toBe("upper");
    expect(updateStepField(doc, "transform", ["id"], "bad id")).toBe(doc);
  });

  it("setExecution sets blocks with defaults and removes an emptied execution", () => {
    const doc = newFlow("t");
    const epoch = setExecution(doc, ["epoch", "type"], "periodic");
    expect(epoch.execution).toEqual({ epoch: { type: "periodic", length: 10_000 } });
    const recovery = setExecution(epoch, ["recovery", "type"], "kafka");
    expect(recovery.execution!.recovery).toEqual({ type: "kafka", brokers: [{ $env: "KAFKA_BROKERS" }], topicPrefix: "eddy" });
    expect(validateFlow(recovery)).toEqual([]);
    const workers = setExecution(recovery, ["workers"], 2);
    expect(workers.execution!.workers).toBe(2);
    expect(setExecution(setExecution(epoch, ["epoch"], undefined), [], undefined).execution).toBeUndefined();
    expect(setExecution(epoch, ["epoch"], undefined).execution).toBeUndefined();
  });

  it("addStepAfter connects to the upstream step and places the new step to its right", () => {
    const doc = newFlow("t");
    const { doc: next, id } = addStepAfter(doc, "filter", "transform");
    expect(stepOf(next, id).after).toEqual(["transform"]);
    expect(next.ui!.positions![id]!.x).toBeGreaterThan(doc.ui!.positions!.transform!.x);
    expect(validateFlow(next)).toEqual([]);
    const free = addStepAfter(doc, "map");
    expect(stepOf(free.doc, free.id).after).toBeUndefined();
  });

  it("pinPositions writes fallback positions once", () => {
    const [, flow] = exampleFlows()[0]!;
    const pinned = pinPositions(flow);
    expect(Object.keys(pinned.ui!.positions!).sort()).toEqual(flow.steps.map((step) => step.id).sort());
    expect(pinPositions(pinned)).toBe(pinned);
  });
});

describe("canConnect", () => {
  const doc = newFlow("t");

  it("allows a new connection, and a capture feeding further steps", () => {
    expect(canConnect(doc, "source", "out")).toEqual({ ok: true });
    const { doc: withMap, id } = addStep(doc, "map", { x: 0, y: 0 });
    expect(canConnect(withMap, "out", id)).toEqual({ ok: true });
    expect(validateFlow(connect(withMap, "out", id))).toEqual([]);
  });

  it("refuses a self loop, a duplicate, an edge into an input, a cycle and unknown steps", () => {
    expect(canConnect(doc, "transform", "transform")).toMatchObject({ ok: false, code: "FLOW_CYCLE", reason: "A step cannot feed itself" });
    expect(canConnect(doc, "source", "transform")).toMatchObject({ ok: false, code: "FLOW_DUPLICATE_AFTER" });
    expect(canConnect(doc, "transform", "source")).toMatchObject({ ok: false, code: "FLOW_INPUT_AFTER", reason: expect.stringContaining("input") });
    expect(canConnect(doc, "out", "transform")).toMatchObject({ ok: false, code: "FLOW_CYCLE", reason: expect.stringContaining("cycle") });
    expect(canConnect(doc, "ghost", "out")).toMatchObject({ ok: false });
    expect(connect(doc, "out", "transform")).toBe(doc);
  });
});

describe("canConnect says why, for the canvas and the connect menu", () => {
  it("names the whole cycle a connection would make", () => {
    const doc = newFlow("t");
    expect(canConnect(doc, "out", "source")).toMatchObject({ ok: false, code: "FLOW_INPUT_AFTER" });
    const verdict = canConnect(doc, "out", "transform");
    expect(verdict).toEqual({ ok: false, code: "FLOW_CYCLE", reason: 'This would make a cycle: "out" → "transform" → "out"' });
    const longer = addStep(doc, "map", { x: 0, y: 300 }, { id: "late", after: ["out"] }).doc;
    expect(canConnect(longer, "late", "transform")).toMatchObject({ ok: false, reason: 'This would make a cycle: "late" → "transform" → "out" → "late"' });
  });

  it("connectionChoices lists every other step, allowed ones first, refused ones with their reason", () => {
    const { doc } = addStep(newFlow("t"), "map", { x: 0, y: 300 }, { id: "spare" });
    const downstream = connectionChoices(doc, "transform", "downstream");
    expect(downstream.map((choice) => [choice.key, choice.verdict.ok])).toEqual([
      ["spare", true],
      ["source", false],
      ["out", false],
    ]);
    expect(downstream.find((choice) => choice.key === "out")!.verdict).toMatchObject({ reason: '"transform" already feeds "out"' });
    const upstream = connectionChoices(doc, "transform", "upstream");
    expect(upstream.map((choice) => [choice.key, choice.verdict.ok])).toEqual([
      ["spare", true],
      ["source", false],
      ["out", false],
    ]);
    expect(upstream.find((choice) => choice.key === "out")!.verdict).toMatchObject({ code: "FLOW_CYCLE" });
  });
});
