/** The right-hand panel: the selected step's form, or the flow's settings when none is selected. */

import { useEditor } from "./editorContext.js";
import { FlowSettings } from "./forms/FlowSettings.js";
import { StepForm } from "./forms/StepForm.js";

export function SidePanel() {
  const step = useEditor((state) => (state.selection.length === 1 ? state.doc.steps.find((candidate) => candidate.id === state.selection[0]) : undefined));
  const count = useEditor((state) => state.selection.length);
  return (
    <aside className="side" aria-label="Properties">
      {step ? <StepForm key={step.id} step={step} /> : count > 1 ? <p>{count} steps selected. Copy, delete or lay them out together.</p> : <FlowSettings />}
    </aside>
  );
}
