/**
 * Connecting two steps from the keyboard: on a step, C (or Shift+C) opens this list of the other
 * steps, the ones it may connect to first; a refused one stays in the list and says why
 * (connectionChoices, from the same decision as drawing). ↑ and ↓ move, Enter connects, Escape
 * goes back to the step. C on a window step first asks which output to connect, its results or its
 * late items, then lists the steps that output may feed; Shift+C lists each window step's late
 * items as a source of their own (studio/state/connectChoices.ts).
 */

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { connectionChoices, outputsToConnect, type ConnectDirection, type ConnectionChoice, type ConnectOutput } from "../state/connectChoices.js";
import { describeConnection } from "../state/connections.js";
import { findShortcut } from "../state/shortcuts.js";
import { announce } from "./announcer.js";
import { focusStep } from "./canvasView.js";
import { useEditor, useEditorStore } from "./editorContext.js";

export interface ConnectMenuProps {
  readonly stepId: string;
  /** downstream: the chosen step is fed by `stepId`; upstream: it feeds `stepId`. */
  readonly direction: ConnectDirection;
  readonly onClose: () => void;
}

const OUTPUT_CHOICES: readonly { readonly output: ConnectOutput; readonly label: string; readonly hint: string }[] = [
  { output: "main", label: "its results", hint: "what it emits for each window" },
  { output: "late", label: "its late items", hint: "the items that came after their window had closed" },
];

export function ConnectMenu({ stepId, direction, onClose }: ConnectMenuProps) {
  const store = useEditorStore();
  const doc = useEditor((state) => state.doc);
  // C on a step with a late output asks which output first; otherwise the list comes at once.
  const asksOutput = direction === "downstream" && outputsToConnect(doc, stepId).includes("late");
  const [output, setOutput] = useState<ConnectOutput | undefined>(asksOutput ? undefined : "main");
  const choices = useMemo(() => (output === undefined ? [] : connectionChoices(doc, stepId, direction, output)), [doc, stepId, direction, output]);
  const list = useRef<HTMLUListElement>(null);
  const [refusal, setRefusal] = useState<string | undefined>();
  const title =
    output === undefined
      ? `Connect ${stepId}: which output?`
      : direction === "upstream"
        ? `Connect a step to ${stepId}…`
        : `Connect ${output === "late" ? `the late items of ${stepId}` : asksOutput ? `the results of ${stepId}` : stepId} to…`;

  useEffect(() => {
    list.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [output]);

  const close = () => {
    onClose();
    focusStep(stepId);
  };
  const choose = (choice: ConnectionChoice) => {
    if (!choice.verdict.ok) {
      setRefusal(choice.verdict.reason);
      announce(`Not connected: ${choice.verdict.reason}`);
      return;
    }
    store.getState().connect(choice.from, choice.to);
    announce(`Connected: ${describeConnection(choice.from, choice.to)}`);
    close();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const shortcut = findShortcut(event, ["connect-menu"]);
    if (shortcut?.id === "menuClose") close();
    else if (shortcut?.id === "menuNext") {
      const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      buttons[Math.min(buttons.length - 1, Math.max(0, at + (event.key === "ArrowUp" ? -1 : 1)))]?.focus();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="dialog-backdrop" onClick={close}>
      <div className="dialog connect-menu" role="dialog" aria-modal="true" aria-label={title} data-testid="connect-menu" onClick={(event) => event.stopPropagation()} onKeyDown={onKeyDown}>
        <h2>{title}</h2>
        {output === undefined ? (
          <ul ref={list} className="connect-choices" key="outputs">
            {OUTPUT_CHOICES.map((choice) => (
              <li key={choice.output}>
                <button type="button" data-testid={`connect-output-${choice.output}`} onClick={() => setOutput(choice.output)}>
                  <strong>{choice.label}</strong> <small>{choice.hint}</small>
                </button>
              </li>
            ))}
          </ul>
        ) : choices.length === 0 ? (
          <p>There is no other step yet: add one from the palette.</p>
        ) : (
          <ul ref={list} className="connect-choices" key="steps">
            {choices.map((choice) => (
              <li key={choice.id}>
                <button
                  type="button"
                  data-testid={`connect-choice-${choice.id}`}
                  aria-disabled={!choice.verdict.ok}
                  className={choice.verdict.ok ? "" : "refused"}
                  onClick={() => choose(choice)}
                  onFocus={() => setRefusal(undefined)}
                >
                  <strong>{choice.label}</strong> <span className="op">{choice.op}</span>
                  {!choice.verdict.ok && <small>{choice.verdict.reason}</small>}
                </button>
              </li>
            ))}
          </ul>
        )}
        {refusal !== undefined && (
          <p className="field-problem" role="alert">
            {refusal}
          </p>
        )}
        <div style={{ textAlign: "right", marginTop: 12 }}>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
