/** Export and import of flow files, and the examples list. */

import { describe, expect, it } from "vitest";
import { formatFlow, validateFlow, type FlowDefinition } from "../../../engine/flow/index.js";
import { flowToCanvas, newFlow, updateStepField } from "../../../studio/state/document.js";
import { buildExamples, defaultExampleName, findExample } from "../../../studio/state/examples.js";
import { exportFlow, importFlow } from "../../../studio/state/exportFlow.js";
import { autoLayout } from "../../../studio/state/layout.js";
import { exampleFlows, exampleModules, exampleTexts } from "./fixtures.js";

describe("exportFlow / importFlow", () => {
  it.each(exampleFlows())("%s: export is stable: export(import(export(x))) === export(x)", (_name, flow) => {
    for (const doc of [flow, autoLayout(flow)]) {
      const text = exportFlow(doc);
      expect(text.endsWith("}\n")).toBe(true);
      const imported = importFlow(text);
      expect(imported.ok && imported.problems).toEqual([]);
      if (!imported.ok) return;
      expect(exportFlow(imported.doc)).toBe(text);
      expect(text).toBe(formatFlow(doc));
    }
  });

  it.each(exampleTexts())("%s: importing the file on disk keeps its content (only the layout of the text changes)", (_name, text) => {
    const imported = importFlow(text);
    expect(imported.ok).toBe(true);
    if (imported.ok) expect(JSON.parse(exportFlow(imported.doc))).toEqual(JSON.parse(text));
  });

  it("keeps $env references as references, and samples and positions as they are", () => {
    let doc = updateStepField(newFlow("secret"), "source", ["input", "type"], "kafka");
    doc = { ...doc, steps: doc.steps.map((step) => (step.id === "source" ? { ...step, sample: { type: "list", items: ["a"] } } : step)) as FlowDefinition["steps"] };
    const text = exportFlow(doc);
    const json = JSON.parse(text) as FlowDefinition;
    expect(json.steps[0]).toEqual({ id: "source", op: "input", input: { type: "kafka", brokers: [{ $env: "KAFKA_BROKERS" }], topic: "input", tail: false }, sample: { type: "list", items: ["a"] } });
    expect(json.ui).toEqual(doc.ui);
    // The document holds no resolved values: nothing in it came from the environment.
    expect(text).not.toMatch(/localhost|:9092/);
    expect(JSON.stringify(doc)).toContain('{"$env":"KAFKA_BROKERS"}');
  });

  it("reports syntax errors with line and column, and refuses what is not a flow", () => {
    const syntax = importFlow('{\n  "format": "eddy.flow",\n  oops\n}');
    expect(syntax).toMatchObject({ ok: false, problems: [{ code: "FLOW_JSON_SYNTAX", line: 3, column: 3 }] });
    expect(importFlow("[1]")).toMatchObject({ ok: false, problems: [{ code: "FLOW_WRONG_TYPE" }] });
    expect(importFlow('{"name": "package"}')).toMatchObject({ ok: false, problems: [{ path: "/format" }] });
    expect(importFlow('{"format": "eddy.flow", "version": 2, "steps": []}')).toMatchObject({ ok: false, problems: [{ code: "FLOW_VERSION_NEWER" }] });
    expect(importFlow('{"format": "eddy.flow", "version": 1, "steps": 3}')).toMatchObject({ ok: false, problems: [{ path: "/steps" }] });
  });

  it("imports a valid-JSON but invalid flow with its problems, for fixing on the canvas", () => {
    const text = JSON.stringify({ format: "eddy.flow", version: 1, steps: [{ id: "a", op: "map", after: ["ghost"], fn: "x =>" }, { id: "a", op: "tap" }] });
    const imported = importFlow(text);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(imported.problems.map((problem) => problem.code)).toEqual(expect.arrayContaining(["FLOW_UNKNOWN_AFTER", "FLOW_FUNCTION_SYNTAX", "FLOW_DUPLICATE_STEP_ID", "FLOW_NO_INPUT"]));
    expect(flowToCanvas(imported.doc).nodes.map((node) => node.id)).toEqual(["a", "#1"]);
    const empty = importFlow('{"format": "eddy.flow", "version": 1}');
    expect(empty.ok && empty.doc.steps).toEqual([]);
    expect(empty.ok && empty.problems).toEqual(validateFlow({ format: "eddy.flow", version: 1, steps: [] }));
  });
});

describe("examples", () => {
  it("lists every example, the default first, with titles and descriptions", () => {
    const examples = buildExamples(exampleModules());
    expect(examples).toHaveLength(exampleTexts().length);
    expect(examples[0]!.name).toBe(defaultExampleName);
    expect(examples[0]!.title).toBe("Word count");
    expect(examples.find((example) => example.name === "windowed-count")?.title).toBe("Windowed count");
    for (const example of examples) {
      expect(example.description.length).toBeGreaterThan(0);
      expect(validateFlow(example.flow)).toEqual([]);
    }
    expect(findExample(examples, "ticker")?.name).toBe("ticker");
    expect(findExample(examples, "nope")?.name).toBe(defaultExampleName);
  });

  it("accepts module objects (import.meta.glob without `import`) and skips what is not a flow", () => {
    const modules = Object.fromEntries(Object.entries(exampleModules()).map(([path, json]) => [path, { default: json }]));
    modules["../../examples/package.json"] = { default: { name: "x" } };
    expect(buildExamples(modules).map((example) => example.name)).toEqual(buildExamples(exampleModules()).map((example) => example.name));
  });
});
