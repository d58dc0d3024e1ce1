/**
 * The JSON Schema file for editors is generated from the zod schema and checked in; this test fails
 * when the file differs from what `scripts/write-flow-schema.ts` would write. Also: the public
 * `eddy/flow` entry, and `formatFlow`'s stable key order.
 */

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../../engine/api/flow.js";
import { STEP_KINDS } from "../../engine/dataflow/steps.js";
import { formatFlow } from "../../engine/flow/format.js";
import { flowJsonSchema, flowJsonSchemaText } from "../../engine/flow/jsonSchema.js";
import { parseFlow } from "../../engine/flow/parseFlowText.js";
import { FLOW_STEP_OPS, STEP_FUNCTION_FIELDS, stepSchema } from "../../engine/flow/schema.js";
import { DESIGN_EXAMPLE, everyBlockFlow } from "./fixtures.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

describe("schema/eddy-flow.schema.json", () => {
  it("is what scripts/write-flow-schema.ts writes (run `npx tsx scripts/write-flow-schema.ts` after changing the schema)", () => {
    expect(readFileSync(join(root, "schema/eddy-flow.schema.json"), "utf8")).toBe(flowJsonSchemaText());
  });

  it("is JSON Schema 2020-12 with named definitions, strict objects and every step kind", () => {
    const schema = flowJsonSchema() as any;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toEqual(["format", "version", "steps"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.ui.additionalProperties).toEqual({});
    expect(Object.keys(schema.$defs)).toEqual([...Object.keys(schema.$defs)].sort());
    expect(schema.$defs.Step.oneOf.map((ref: { $ref: string }) => ref.$ref)).toEqual(
      ["Input", "Map", "FlatMap", "Filter", "Inspect", "InspectEpoch", "Reduce", "StatefulMap", "ReduceWindow", "FoldWindow", "CollectWindow", "CountWindow", "Join", "JoinWindow", "Capture"].map((name) => `#/$defs/${name}Step`),
    );
    expect(schema.$defs.EnvRef).toMatchObject({ type: "object", required: ["$env"], additionalProperties: false });
    expect(JSON.stringify(schema)).not.toContain("__schema");
  });

  it("is a fresh object each time", () => {
    expect(flowJsonSchema()).not.toBe(flowJsonSchema());
    expect(flowJsonSchema()).toEqual(flowJsonSchema());
  });
});

describe("step kinds", () => {
  it("the schema's step kinds are the engine's, and each has the functions the engine's step takes", () => {
    const ops = (stepSchema.options as readonly { shape: { op: { value: string } } }[]).map((option) => option.shape.op.value);
    expect(ops).toEqual([...FLOW_STEP_OPS]);
    expect([...FLOW_STEP_OPS].sort()).toEqual(Object.keys(STEP_KINDS).sort());
    for (const op of FLOW_STEP_OPS) expect(STEP_FUNCTION_FIELDS[op], op).toHaveLength(STEP_KINDS[op].functions.length);
  });
});

describe("the eddy/flow entry", () => {
  it("exports the format's functions, schema and version", () => {
    for (const name of ["parseFlow", "validateFlow", "compileFlow", "migrateFlow", "flowSchema", "flowJsonSchema", "defaultFunctionCompiler", "formatFlow", "FlowInvalidError"]) {
      expect(api, name).toHaveProperty(name);
    }
    expect(api.FLOW_FORMAT_VERSION).toBe(1);
    expect(api.flowJsonSchema()).toEqual(flowJsonSchema());
  });
});

describe("formatFlow", () => {
  it("writes fields in the schema's order, unknown ones after them alphabetically, maps alphabetically, two-space indents", () => {
    const text = formatFlow({
      ui: { positions: { b: { y: 2, x: 1 }, a: { x: 0, y: 0 } }, zoom: 1, alpha: true },
      steps: [
        { fn: "x => x", after: ["a"], op: "map", id: "m", label: "M" },
        { input: { items: [{ z: 1, a: 2 }], type: "list" }, op: "input", id: "a" },
      ],
      version: 1,
      format: "eddy.flow",
      extra: 1,
    });
    expect(text).toBe(
      [
        "{",
        '  "format": "eddy.flow",',
        '  "version": 1,',
        '  "steps": [',
        "    {",
        '      "id": "m",',
        '      "op": "map",',
        '      "after": [',
        '        "a"',
        "      ],",
        '      "fn": "x => x",',
        '      "label": "M"',
        "    },",
        "    {",
        '      "id": "a",',
        '      "op": "input",',
        '      "input": {',
        '        "type": "list",',
        '        "items": [',
        "          {",
        '            "z": 1,',
        '            "a": 2',
        "          }",
        "        ]",
        "      }",
        "    }",
        "  ],",
        '  "ui": {',
        '    "positions": {',
        '      "a": {',
        '        "x": 0,',
        '        "y": 0',
        "      },",
        '      "b": {',
        '        "x": 1,',
        '        "y": 2',
        "      }",
        "    },",
        '    "alpha": true,',
        '    "zoom": 1',
        "  },",
        '  "extra": 1',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("gives the same text for the same flow whatever the order of its keys, and reads back as the same flow", () => {
    const flow = everyBlockFlow();
    const reversed = JSON.parse(JSON.stringify(flow), (_key, value) =>
      value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    );
    expect(formatFlow(reversed)).toBe(formatFlow(flow));
    expect(JSON.parse(formatFlow(flow))).toEqual(flow);
    const parsed = parseFlow(DESIGN_EXAMPLE);
    expect(parsed.ok && parseFlow(formatFlow(parsed.value))).toEqual(parsed);
  });
});
