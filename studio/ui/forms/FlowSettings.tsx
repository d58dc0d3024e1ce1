/**
 * The side panel when no step is selected: the flow's name and description, its execution
 * settings (epochs, recovery, workers) as the runner reads them, and every problem of the flow.
 */

import { epochBlockSchema, recoveryBlockSchema } from "../../../engine/host/index.js";
import type { FlowProblem } from "../../../engine/host/index.js";
import { useEditor, useEditorStore } from "../editorContext.js";
import { BlockForm } from "./BlockForm.js";
import { Field, NumberField } from "./fields.js";

function atPath(problems: readonly FlowProblem[], prefix: string): FlowProblem[] {
  return problems.filter((problem) => problem.path === prefix || problem.path.startsWith(`${prefix}/`));
}

export function FlowSettings() {
  const store = useEditorStore();
  const doc = useEditor((state) => state.doc);
  const flowProblems = useEditor((state) => state.problems.flow);
  const execution = (doc.execution ?? {}) as Record<string, unknown>;
  const set = (path: string[], value: unknown) => store.getState().setExecution(path, value);
  return (
    <div data-testid="flow-settings">
      <h3>Flow</h3>
      <Field label="name">
        <input type="text" aria-label="flow name" value={doc.name ?? ""} onChange={(event) => store.getState().setFlowField("name", event.target.value === "" ? undefined : event.target.value)} />
      </Field>
      <Field label="description">
        <textarea aria-label="flow description" rows={3} value={doc.description ?? ""} onChange={(event) => store.getState().setFlowField("description", event.target.value === "" ? undefined : event.target.value)} />
      </Field>
      <BlockForm
        name="epoch"
        title="epochs"
        schema={epochBlockSchema}
        block={execution.epoch as Record<string, unknown> | undefined}
        onField={(field, value) => set(["epoch", field], value)}
        onRemove={() => set(["epoch"], undefined)}
        removeLabel="(default: periodic, 10 s)"
        problemsFor={(field) => atPath(flowProblems, `/execution/epoch${field === "type" ? "" : `/${field}`}`)}
        testId="block-epoch"
      />
      <BlockForm
        name="recovery"
        title="recovery (for the runner; simulated runs use IndexedDB when recovery is on in the run panel)"
        schema={recoveryBlockSchema}
        block={execution.recovery as Record<string, unknown> | undefined}
        onField={(field, value) => set(["recovery", field], value)}
        onRemove={() => set(["recovery"], undefined)}
        removeLabel="(none)"
        problemsFor={(field) => atPath(flowProblems, `/execution/recovery${field === "type" ? "" : `/${field}`}`)}
        testId="block-recovery"
      />
      <NumberField label="workers per process (optional; eddy run -w overrides it)" value={execution.workers} optional onChange={(value) => set(["workers"], value)} problems={atPath(flowProblems, "/execution/workers")} />
      <p className="hint" style={{ color: "var(--muted)" }}>
        Select a step to edit it. Drag steps from the palette; connect a step's right handle to another's left handle.
      </p>
    </div>
  );
}
