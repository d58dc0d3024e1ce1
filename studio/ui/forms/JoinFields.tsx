/**
 * The form fields of `join` and `join_window`: which side is which (the steps of `after`, in
 * order, side 0 first, with a button to move a side earlier), and the insert and emit modes,
 * each with what it does. The edges into the step are labelled with their side (state/canvas.ts).
 */

import type { FlowProblem } from "../../../engine/host/index.js";
import { Field } from "./fields.js";

const INSERT_MODES: readonly [string, string][] = [
  ["first", "first: keep a side's first value"],
  ["last", "last: keep a side's latest value"],
  ["product", "product: keep every value; rows are every combination"],
];

const EMIT_MODES: Readonly<Record<string, readonly [string, string][]>> = {
  join: [
    ["complete", "complete: once every side has a value, then forget the key"],
    ["final", "final: at the end of input"],
    ["running", "running: after every item, null for missing sides"],
  ],
  join_window: [
    ["complete", "complete: once every side has a value, then empty the window"],
    ["final", "final: when the window closes"],
    ["running", "running: after every item, null for missing sides"],
  ],
};

export interface JoinFieldsProps {
  op: "join" | "join_window";
  after: readonly string[];
  insertMode: string | undefined;
  emitMode: string | undefined;
  update: (path: string[], value: unknown) => void;
  problemsAt: (path: readonly string[]) => FlowProblem[];
}

export function JoinFields({ op, after, insertMode, emitMode, update, problemsAt }: JoinFieldsProps) {
  const moveEarlier = (index: number) => {
    const sides = [...after];
    [sides[index - 1], sides[index]] = [sides[index]!, sides[index - 1]!];
    update(["after"], sides);
  };
  return (
    <>
      <Field label="sides (rows are [key, [side 0, side 1, …]])" hint="Connect a step to add a side; each side gives [key, value] items." problems={problemsAt(["after"])}>
        <ol className="join-sides" data-testid="join-sides" start={0}>
          {after.map((id, index) => (
            <li key={id}>
              <span className="join-side">side {index}</span> {id}
              {index > 0 && (
                <button type="button" aria-label={`make ${id} side ${index - 1}`} onClick={() => moveEarlier(index)}>
                  ↑
                </button>
              )}
            </li>
          ))}
        </ol>
      </Field>
      <Field label="insertMode" problems={problemsAt(["insertMode"])}>
        <select aria-label="insertMode" data-testid="join-insert-mode" value={insertMode ?? "last"} onChange={(event) => update(["insertMode"], event.target.value)}>
          {INSERT_MODES.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </Field>
      <Field label="emitMode" problems={problemsAt(["emitMode"])}>
        <select aria-label="emitMode" data-testid="join-emit-mode" value={emitMode ?? (op === "join" ? "complete" : "final")} onChange={(event) => update(["emitMode"], event.target.value)}>
          {EMIT_MODES[op]!.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
