/**
 * The help of a step kind at the top of its form (whose heading says what the step does), from
 * the engine's step help: what its items must be, its functions' signatures and rules, and a small example. Open by
 * default; closing it is remembered in this browser.
 */

import { useState } from "react";
import { STEP_HELP, SYNCHRONOUS_FUNCTIONS, type StepOp } from "../../../engine/host/index.js";
import { exampleLines } from "../helpText.js";

const OPEN_KEY = "eddy-studio-step-help-open";

function initiallyOpen(): boolean {
  try {
    return localStorage.getItem(OPEN_KEY) !== "false";
  } catch {
    return true;
  }
}

export function StepHelpPanel({ op }: { op: StepOp }) {
  const help = STEP_HELP[op];
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details
      className="step-help"
      data-testid="step-help"
      open={open}
      onToggle={(event) => {
        const now = event.currentTarget.open;
        setOpen(now);
        try {
          localStorage.setItem(OPEN_KEY, String(now));
        } catch {
          // the choice is not kept; the panel still works
        }
      }}
    >
      <summary>What {op} does</summary>
      {help.items !== undefined && <p>{help.items}</p>}
      {help.functions.length > 0 && (
        <ul>
          {help.functions.map((fn) => (
            <li key={fn.field}>
              <code>{fn.signature}</code> {fn.description}
              {fn.returns !== undefined && ` Its return value ${fn.returns}.`}
            </li>
          ))}
        </ul>
      )}
      {help.functions.length > 0 && <p className="hint">{SYNCHRONOUS_FUNCTIONS}</p>}
      <div className="hint">Example:</div>
      <pre data-testid="step-help-example">{exampleLines(op).join(",\n")}</pre>
    </details>
  );
}
