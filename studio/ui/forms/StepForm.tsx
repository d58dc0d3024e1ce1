/**
 * The side panel's form for one step: the help of its kind (engine/flow/stepHelp.ts), its id (a
 * recovery key for stateful steps), label, the functions its kind takes (STEP_FUNCTION_FIELDS, each
 * with its signature from the step help), its blocks, its sample, and what it emitted in the current run.
 */

import { useEffect, useState } from "react";
import { STEP_KINDS, functionHelp, functionSourceText } from "../../../engine/host/index.js";
import {
  clockBlockSchema,
  inputBlockSchema,
  outputBlockSchema,
  sampleBlockSchema,
  STEP_FUNCTION_FIELDS,
  windowBlockSchema,
  type FlowStep,
} from "../../../engine/host/index.js";
import type { FlowProblem } from "../../../engine/host/index.js";
import { notRunWhy, runPlan } from "../../state/runPlan.js";
import { fieldOfProblem } from "../../state/validation.js";
import { useEditor, useEditorStore } from "../editorContext.js";
import { useLive, visibleSteps } from "../live.js";
import { functionHint } from "../helpText.js";
import { BlockForm } from "./BlockForm.js";
import { Field, FunctionField } from "./fields.js";
import { StepHelpPanel } from "./StepHelpPanel.js";
import { JoinFields } from "./JoinFields.js";

/** Function fields a step may leave out: an empty editor removes them. */
const OPTIONAL_FUNCTIONS: ReadonlySet<string> = new Set(["fold_window/merger"]);

function RenameField({ stepId }: { stepId: string }) {
  const store = useEditorStore();
  const [text, setText] = useState(stepId);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setText(stepId);
    setError(undefined);
  }, [stepId]);
  const commit = () => {
    if (text === stepId) return;
    const result = store.getState().renameStep(stepId, text);
    setError(result.ok ? undefined : result.reason);
  };
  return (
    <div className="field">
      <label>id</label>
      <input type="text" aria-label="step id" data-testid="step-id" value={text} onChange={(event) => setText(event.target.value)} onBlur={commit} onKeyDown={(event) => event.key === "Enter" && commit()} />
      {error !== undefined && <div className="field-problem">{error}</div>}
    </div>
  );
}

function LiveItems({ stepId }: { stepId: string }) {
  const live = useLive((state) => visibleSteps(state)[stepId]);
  if (!live) return null;
  return (
    <Field label={`latest items (${live.count.toLocaleString("en-US")} in all)`}>
      <div className="live-list" data-testid="step-latest">
        {live.latest.length === 0 ? <em>none yet</em> : live.latest.map((item, index) => <div key={index}>{`e${item.epoch} w${item.worker}  ${item.text}`}</div>)}
      </div>
    </Field>
  );
}

/** The step's "disabled" switch (D on the canvas), and why runs skip it when they do. */
function DisabledToggle({ step }: { step: FlowStep }) {
  const store = useEditorStore();
  const notRun = useEditor((state) => runPlan(state.doc).notRun.get(step.id));
  const problems = useEditor((state) => state.problems.byStep.get(step.id));
  return (
    <>
      <label className="field step-toggle" title="A disabled step does not run and passes nothing on; steps fed only by disabled steps are skipped too">
        <input type="checkbox" aria-label="disabled" data-testid="step-disabled" checked={step.disabled === true} onChange={() => store.getState().toggleDisabled([step.id])} />
        disabled <span className="hint">(D): runs skip it and what only it feeds</span>
      </label>
      {notRun !== undefined && notRun !== "disabled" && (
        <div className="field-problem warning" data-testid="step-not-run">
          Runs skip this step: {notRunWhy(notRun, problems)}.
        </div>
      )}
    </>
  );
}

export function StepForm({ step }: { step: FlowStep }) {
  const store = useEditorStore();
  const problems = useEditor((state) => state.problems.byStep.get(step.id)) ?? [];
  const kind = STEP_KINDS[step.op];
  const update = (path: string[], value: unknown) => store.getState().updateStepField(step.id, path, value);
  /** Problems on `path` or inside it; `exact` keeps only those on `path` itself. */
  const problemsAt = (path: readonly string[], exact = false): FlowProblem[] =>
    problems.filter((problem) => {
      const field = fieldOfProblem(problem);
      if (field === undefined || field.length < path.length || (exact && field.length !== path.length)) return false;
      return path.every((part, index) => field[index] === part);
    });
  const record = step as unknown as Record<string, unknown>;
  const hintOf = (field: string) => {
    const help = functionHelp(step.op, field);
    return help === undefined ? "" : functionHint(help);
  };
  const blockForm = (name: "input" | "output" | "clock" | "window" | "sample", title: string, schema: unknown, optional = false) => (
    <BlockForm
      name={name}
      title={title}
      schema={schema}
      block={record[name] as Record<string, unknown> | undefined}
      onField={(field, value) => update([name, field], value)}
      {...(optional && { onRemove: () => update([name], undefined), removeLabel: "(none)" })}
      problemsFor={(field) => (field === "type" ? [...problemsAt([name], true), ...problemsAt([name, "type"])] : problemsAt([name, field]))}
      testId={`block-${name}`}
    />
  );
  const isJoin = step.op === "join" || step.op === "join_window";
  /** Window steps with one value per window may emit it with its window (join_window emits rows). */
  const hasWithWindow = kind.windowed && step.op !== "join_window";
  const inFields = new Set<string>([
    "input",
    "output",
    "clock",
    "window",
    "sample",
    ...(hasWithWindow ? ["withWindow"] : []),
    ...(isJoin ? ["after", "insertMode", "emitMode"] : []),
    ...STEP_FUNCTION_FIELDS[step.op],
  ]);
  const unplaced = problems.filter((problem) => {
    const field = fieldOfProblem(problem);
    return field === undefined || !inFields.has(field[0]!);
  });

  return (
    <div data-testid="step-form">
      <h3>
        {step.op} <span style={{ textTransform: "none" }}>— {kind.summary}</span>
      </h3>
      <StepHelpPanel op={step.op} />
      <RenameField stepId={step.id} />
      <Field label="label (optional)">
        <input type="text" aria-label="label" value={step.label ?? ""} onChange={(event) => update(["label"], event.target.value === "" ? undefined : event.target.value)} />
      </Field>
      <DisabledToggle step={step} />
      {unplaced.map((problem, index) => (
        <div className="error-box" key={index}>
          {problem.message}
        </div>
      ))}
      {step.op === "input" && blockForm("input", "input", inputBlockSchema)}
      {step.op === "input" && blockForm("sample", "sample (the studio's simulated runs read it; the runner ignores it)", sampleBlockSchema, true)}
      {step.op === "capture" && blockForm("output", "output", outputBlockSchema)}
      {isJoin && (
        <JoinFields
          op={step.op as "join" | "join_window"}
          after={Array.isArray(record.after) ? (record.after as unknown[]).filter((id): id is string => typeof id === "string") : []}
          insertMode={typeof record.insertMode === "string" ? record.insertMode : undefined}
          emitMode={typeof record.emitMode === "string" ? record.emitMode : undefined}
          update={update}
          problemsAt={(path) => problemsAt(path)}
        />
      )}
      {kind.windowed && blockForm("clock", "clock", clockBlockSchema)}
      {kind.windowed && blockForm("window", "window", windowBlockSchema)}
      {hasWithWindow && (
        <Field label="withWindow (optional)" hint="emit [key, [windowStart, windowEnd, value]] (epoch ms); late items go to the step's late output (the lower handle)" problems={problemsAt(["withWindow"])}>
          <input type="checkbox" aria-label="withWindow" data-testid="with-window" checked={record.withWindow === true} onChange={(event) => update(["withWindow"], event.target.checked ? true : undefined)} />
        </Field>
      )}
      {STEP_FUNCTION_FIELDS[step.op].map((field) => {
        const optional = OPTIONAL_FUNCTIONS.has(`${step.op}/${field}`);
        const change = (value: unknown) => update([field], optional && (functionSourceText(value) ?? "").trim() === "" ? undefined : value);
        return <FunctionField key={`${step.id}/${field}`} label={field} value={record[field]} onChange={change} problems={problemsAt([field])} hint={hintOf(field)} testId={`fn-${field}`} />;
      })}
      <Field label="notes (optional)">
        <textarea aria-label="notes" rows={2} value={step.notes ?? ""} onChange={(event) => update(["notes"], event.target.value === "" ? undefined : event.target.value)} />
      </Field>
      <LiveItems stepId={step.id} />
    </div>
  );
}
