/**
 * Connecting two steps from the keyboard: on a step, C (or Shift+C) opens this list of the other
 * steps, the ones it may connect to first; a refused one stays in the list and says why
 * (connectionChoices, from the same decision as drawing). ↑ and ↓ move, Enter connects, Escape
 * goes back to the step.
 */

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { connectionChoices, type ConnectionChoice } from "../state/connections.js";
import { findShortcut } from "../state/shortcuts.js";
import { announce } from "./announcer.js";
import { focusStep } from "./canvasView.js";
import { useEditor, useEditorStore } from "./editorContext.js";

export interface ConnectMenuProps {
  readonly stepId: string;
  /** downstream: the chosen step is fed by `stepId`; upstream: it feeds `stepId`. */
  readonly direction: "downstream" | "upstream";
  readonly onClose: () => void;
}

export function ConnectMenu({ stepId, direction, onClose }: ConnectMenuProps) {
  const store = useEditorStore();
  const doc = useEditor((state) => state.doc);
  const choices = useMemo(() => connectionChoices(doc, stepId, direction), [doc, stepId, direction]);
  const list = useRef<HTMLUListElement>(null);
  const [refusal, setRefusal] = useState<string | undefined>();
  const title = direction === "downstream" ? `Connect ${stepId} to…` : `Connect a step to ${stepId}…`;

  useEffect(() => {
    list.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, []);

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
    const [from, to] = direction === "downstream" ? [stepId, choice.key] : [choice.key, stepId];
    store.getState().connect(from, to);
    announce(`Connected: ${from} feeds ${to}`);
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
        {choices.length === 0 ? (
          <p>There is no other step yet: add one from the palette.</p>
        ) : (
          <ul ref={list} className="connect-choices">
            {choices.map((choice) => (
              <li key={choice.key}>
                <button
                  type="button"
                  data-testid={`connect-choice-${choice.key}`}
                  aria-disabled={!choice.verdict.ok}
                  className={choice.verdict.ok ? "" : "refused"}
                  onClick={() => choose(choice)}
                  onFocus={() => setRefusal(undefined)}
                >
                  <strong>{choice.key}</strong> <span className="op">{choice.op}</span>
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
