/**
 * What the keyboard's connect menu offers (studio/ui/ConnectMenu.tsx): C on a step lists the steps
 * it may feed, Shift+C the steps that may feed it. A window step (and join_window) has two outputs,
 * its results and its late items: C on it first asks which one (`outputsToConnect`), then lists the
 * steps that output may feed, so the list never doubles; Shift+C lists each window step's late
 * items as a source of their own ("count (late items)") next to its results. Every choice carries
 * the verdict of canConnect, the one decision behind drawing a connection, so a refused one stays in
 * the list and says why.
 */

import type { FlowDefinition } from "../../engine/host/index.js";
import { afterRefText, knownOp, outputsOf } from "../../engine/host/index.js";
import { canConnect, type CanConnect } from "./connections.js";
import { indexOfStep, opOf, stepKeys, stepsOf } from "./steps.js";

/** An output of a step: its results ("main") or, for a window step, its late items. */
export type ConnectOutput = "main" | "late";

/** Which way the menu connects: `downstream`, the chosen step is fed by the step; `upstream`, it feeds the step. */
export type ConnectDirection = "downstream" | "upstream";

/** A choice of the connect menu: the connection it makes and the verdict on it. */
export interface ConnectionChoice {
  /** The step at the other end (the one the list names). */
  readonly key: string;
  /** Unique in its list: the other end as the flow file names it ("out", or "count:late" for a late source). */
  readonly id: string;
  readonly op: string;
  /** The connection, as canConnect takes it: an `after` entry ("count" or "count:late") and a step. */
  readonly from: string;
  readonly to: string;
  /** Whether the connection takes the late items of its source. */
  readonly late: boolean;
  /** What the list says: "out", "late items → out" (C on a window step), "count (late items)" (Shift+C). */
  readonly label: string;
  readonly verdict: CanConnect;
}

/**
 * The outputs of the step with this key that a connection may leave from: its results, and the
 * late items of a window step or join_window.
 *
 * @example
 * outputsToConnect(doc, "count"); // ["main", "late"] (a count_window step)
 * outputsToConnect(doc, "out"); // ["main"]
 */
export function outputsToConnect(doc: FlowDefinition, key: string): readonly ConnectOutput[] {
  const index = indexOfStep(doc, key);
  const op = index < 0 ? undefined : knownOp(opOf(stepsOf(doc)[index]));
  return op === undefined ? ["main"] : outputsOf(op).filter((output): output is ConnectOutput => output === "main" || output === "late");
}

/**
 * The choices for connecting the step `key`, allowed ones first, each group in document order.
 * `downstream`: every other step as fed by `output` of `key` (its results unless "late").
 * `upstream`: every other step as feeding `key`, and right after each window step its late items.
 *
 * @example
 * // inp → count (a window step) → out, and an unconnected late_out
 * connectionChoices(doc, "count", "downstream", "late").map((c) => c.label); // ["late items → out", "late items → late_out", "late items → inp"]
 * connectionChoices(doc, "late_out", "upstream").map((c) => c.label); // ["inp", "count", "count (late items)", "out"]
 */
export function connectionChoices(doc: FlowDefinition, key: string, direction: ConnectDirection, output: ConnectOutput = "main"): ConnectionChoice[] {
  const steps = stepsOf(doc);
  const choices = stepKeys(doc).flatMap((other, index): ConnectionChoice[] => {
    if (other === key) return [];
    const op = opOf(steps[index]);
    if (direction === "downstream") {
      const from = afterRefText(key, output);
      const late = output === "late";
      return [{ key: other, id: other, op, from, to: other, late, label: late ? `late items → ${other}` : other, verdict: canConnect(doc, from, other) }];
    }
    return outputsToConnect(doc, other).map((sourceOutput): ConnectionChoice => {
      const from = afterRefText(other, sourceOutput);
      const late = sourceOutput === "late";
      return { key: other, id: from, op, from, to: key, late, label: late ? `${other} (late items)` : other, verdict: canConnect(doc, from, key) };
    });
  });
  return [...choices.filter((choice) => choice.verdict.ok), ...choices.filter((choice) => !choice.verdict.ok)];
}
