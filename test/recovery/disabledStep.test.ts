/**
 * Recovery of a flow file with a disabled step that keeps state: the compiled flow names the steps
 * it leaves out, and a resume from a store that holds the state of one of them is refused, saying
 * that it is disabled and how to resume.
 */

import { describe, expect, it } from "vitest";
import { runMain } from "../../engine/api/execution.js";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { compileFlow } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";

function flowOf(steps: Record<string, unknown>[]): FlowDefinition {
  return { format: "eddy.flow", version: 1, steps } as unknown as FlowDefinition;
}

describe("recovery of a flow with a disabled step that keeps state", () => {
  /** [key, i] pairs → (crash at 6) → a stateful count per key → out; and the pairs → raw. */
  function counting(disabled: boolean, crash: boolean): FlowDefinition {
    return flowOf([
      { id: "inp", op: "input", input: { type: "list", items: Array.from({ length: 10 }, (_, i) => [`k${i % 3}`, i]) } },
      { id: "crash", op: "map", after: ["inp"], fn: crash ? "([k, i]) => { if (i === 6) throw new Error('crash'); return [k, i]; }" : "x => x" },
      { id: "count", op: "stateful_map", after: ["crash"], ...(disabled && { disabled: true }), builder: "() => 0", fn: "(n) => [n + 1, n + 1]" },
      { id: "out", op: "capture", after: ["count"], output: { type: "function", fn: "() => () => {}" } },
      { id: "raw", op: "capture", after: ["inp"], output: { type: "function", fn: "() => () => {}" } },
    ]);
  }

  it("a resume from a store that holds its state is refused, naming it as disabled", async () => {
    const recoveryConfig = new MemoryRecoveryConfig();
    const epochConfig = new TestingEpochConfig();
    await expect(runMain(compileFlow(counting(false, true)).flow, { recoveryConfig, epochConfig })).rejects.toThrow("crash");
    const refused = await runMain(compileFlow(counting(true, false)).flow, { recoveryConfig, epochConfig }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({
      code: "RECOVERY_UNKNOWN_STEPS",
      message:
        'Recovery data had unknown step IDs: ["count"] (this flow\'s steps that keep state are ["inp"]). ["count"] is disabled or skipped in this flow: enable it to resume. Give the steps their old ids back, or start from an empty store.',
    });
  });
});

