/**
 * Issue 10, point 8: `{ "$env": NAME }` only where the compiler resolves it. Inside a list input's
 * items, a sample's items or `ui` it would reach the flow as an object: validation refuses it with
 * its path (FLOW_ENV_UNRESOLVED). And `envReferences` finds every name a flow refers to, which the
 * runner keeps out of its messages.
 */

import { describe, expect, it } from "vitest";
import { envReferences } from "../../engine/flow/envReferences.js";
import { validateFlow } from "../../engine/flow/validateFlow.js";

const flow = (input: unknown, extra: Record<string, unknown> = {}) => ({
  format: "eddy.flow",
  version: 1,
  steps: [
    { id: "numbers", op: "input", input, ...extra },
    { id: "out", op: "capture", after: ["numbers"], output: { type: "file", path: { $env: "OUT_PATH" } } },
  ],
});

describe("$env where nothing resolves it", () => {
  it("is refused inside list items and sample items, at any depth, with its path", () => {
    const problems = validateFlow(
      flow({ type: "list", items: [1, { $env: "TOKEN" }, [{ nested: { $env: "DEEP" } }]] }, { sample: { type: "list", items: [{ $env: "SAMPLE" }] } }),
    );
    expect(problems.map(({ code, path, stepId }) => ({ code, path, stepId }))).toEqual([
      { code: "FLOW_ENV_UNRESOLVED", path: "/steps/0/input/items/1", stepId: "numbers" },
      { code: "FLOW_ENV_UNRESOLVED", path: "/steps/0/input/items/2/0/nested", stepId: "numbers" },
      { code: "FLOW_ENV_UNRESOLVED", path: "/steps/0/sample/items/0", stepId: "numbers" },
    ]);
    expect(problems[0]!.message).toMatch(/^Step "numbers" \(input\): `input.items\[1\]` is a \{ "\$env": \.\.\. \} reference where none is resolved/);
  });

  it("is refused in ui", () => {
    const problems = validateFlow({ ...flow({ type: "list", items: [1] }), ui: { note: { $env: "X" } } });
    expect(problems.map(({ code, path }) => ({ code, path }))).toEqual([{ code: "FLOW_ENV_UNRESOLVED", path: "/ui/note" }]);
  });

  it("is accepted where the compiler resolves it (a file path)", () => {
    expect(validateFlow(flow({ type: "file", path: { $env: "IN_PATH" } }))).toEqual([]);
  });
});

describe("envReferences", () => {
  it("lists every $env name of a flow once, in document order", () => {
    expect(envReferences(flow({ type: "file", path: { $env: "IN_PATH" } }, { sample: { type: "list", items: [{ $env: "IN_PATH" }] } }))).toEqual([
      "IN_PATH",
      "OUT_PATH",
    ]);
  });
});
