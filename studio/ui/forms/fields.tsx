/**
 * The field widgets: functions and JSON in CodeMirror, strings that may come from the environment,
 * numbers and instants (durations and items have files of their own; SchemaField picks one per
 * field kind). Each shows the validator's problems for its path under it.
 */

import { useEffect, useState, type ReactNode } from "react";
import { functionSourceText } from "../../../engine/host/index.js";
import type { FlowProblem } from "../../../engine/host/index.js";
import { CodeEditor } from "./CodeEditor.js";

export interface FieldProps {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  problems?: readonly FlowProblem[];
  hint?: string;
  testId?: string;
}

export function Field({ label, hint, problems, children }: { label: string; hint?: string | undefined; problems?: readonly FlowProblem[] | undefined; children: ReactNode }) {
  return (
    <div className="field">
      <label>{label}</label>
      {children}
      {hint !== undefined && <div className="hint">{hint}</div>}
      {problems?.map((problem, index) => (
        <div className={problem.severity === "warning" ? "field-problem warning" : "field-problem"} key={index}>
          {problem.message}
        </div>
      ))}
    </div>
  );
}

/** Functions are stored as one string, or as an array of lines when they span several (readable diffs). */
export function toFunctionSource(text: string): string | string[] {
  return text.includes("\n") ? text.split("\n") : text;
}

export function FunctionField({ label, value, onChange, problems, hint, testId }: FieldProps) {
  return (
    <Field label={label} hint={hint} problems={problems}>
      <CodeEditor language="function" label={label} value={functionSourceText(value) ?? ""} onChange={(text) => onChange(toFunctionSource(text))} {...(testId !== undefined && { testId })} />
    </Field>
  );
}

/** JSON values: edited as text, written to the document only when the text parses. */
export function JsonField({ label, value, onChange, problems, hint, testId }: FieldProps) {
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value ?? null)) return current;
      } catch {
        // the text on screen does not parse; the document's value replaces it
      }
      return JSON.stringify(value ?? null, null, 2);
    });
  }, [value]);
  return (
    <Field label={label} hint={hint} problems={problems}>
      <CodeEditor
        language="json"
        label={label}
        value={text}
        {...(testId !== undefined && { testId })}
        onChange={(next) => {
          setText(next);
          try {
            onChange(JSON.parse(next));
          } catch {
            // shown by the editor's lint; the document keeps the last value that parsed
          }
        }}
      />
    </Field>
  );
}

function isEnvRef(value: unknown): value is { $env: string } {
  return typeof value === "object" && value !== null && "$env" in value;
}

/** A string, or `{ "$env": NAME }` when "from environment" is ticked (secrets never go in the file). */
export function StringOrEnvField({ label, value, onChange, problems, hint, testId }: FieldProps) {
  const fromEnv = isEnvRef(value);
  const text = fromEnv ? value.$env : typeof value === "string" ? value : "";
  return (
    <Field label={label} hint={hint} problems={problems}>
      <div style={{ display: "flex", gap: 6, alignItems: "center" }}>
        <input type="text" aria-label={label} data-testid={testId} value={text} placeholder={fromEnv ? "VARIABLE_NAME" : ""} onChange={(event) => onChange(fromEnv ? { $env: event.target.value } : event.target.value)} />
        <label style={{ whiteSpace: "nowrap", margin: 0 }} title="Read the value from an environment variable when the runner runs the flow">
          <input type="checkbox" checked={fromEnv} onChange={(event) => onChange(event.target.checked ? { $env: text.toUpperCase().replace(/[^A-Z0-9_]/g, "_") || "NAME" } : "")} /> $env
        </label>
      </div>
    </Field>
  );
}

export function NumberField({ label, value, onChange, problems, hint, testId, optional }: FieldProps & { optional?: boolean }) {
  return (
    <Field label={label} hint={hint} problems={problems}>
      <input
        type="number"
        aria-label={label}
        data-testid={testId}
        value={typeof value === "number" ? value : ""}
        onChange={(event) => {
          const raw = event.target.value;
          if (raw === "") onChange(optional ? undefined : 0);
          else if (Number.isFinite(Number(raw))) onChange(Number(raw));
        }}
      />
    </Field>
  );
}

/** Epoch milliseconds or an ISO 8601 date-time: a number when the text is one. */
export function InstantField({ label, value, onChange, problems, hint, testId, optional }: FieldProps & { optional?: boolean }) {
  return (
    <Field label={label} hint={hint ?? "epoch ms or e.g. 2026-01-01T00:00:00Z"} problems={problems}>
      <input
        type="text"
        aria-label={label}
        data-testid={testId}
        value={value === undefined ? "" : String(value)}
        onChange={(event) => {
          const raw = event.target.value.trim();
          if (raw === "") onChange(optional ? undefined : 0);
          else onChange(/^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);
        }}
      />
    </Field>
  );
}
