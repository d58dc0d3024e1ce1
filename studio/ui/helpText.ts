/**
 * The engine's step help (engine/flow/stepHelp.ts) as text for the studio: a function's hint under
 * its editor, and a step kind's tooltip in the palette.
 */

import { STEP_HELP, type FunctionHelp, type StepOp } from "../../engine/host/index.js";

/**
 * What a function field's hint says.
 *
 * @example
 * functionHint(STEP_HELP.filter.functions[0]!);
 * // "fn(item) => true or false. Called with each item; ... Its return value must be a boolean."
 */
export function functionHint(help: FunctionHelp): string {
  const rule = help.returns !== undefined ? ` Its return value ${help.returns}.` : "";
  return `${help.signature}. ${help.description}${rule}`;
}

/** The example of a step kind as the lines of its flow-file fields, e.g. `"fn": "x => x + 1"`. */
export function exampleLines(op: StepOp): string[] {
  return Object.entries(STEP_HELP[op].example).map(([field, value]) => `"${field}": ${JSON.stringify(value)}`);
}

/** A palette entry's tooltip: what the step does, its functions' signatures, an example. */
export function paletteTooltip(op: StepOp): string {
  const help = STEP_HELP[op];
  const lines = [help.summary];
  if (help.items !== undefined) lines.push(help.items);
  for (const fn of help.functions) lines.push(`  ${fn.signature}`);
  lines.push("Example:", ...exampleLines(op).map((line) => `  ${line}`));
  lines.push("Drag onto the canvas or onto a connection; click (or Enter) to insert after the selected step.");
  return lines.join("\n");
}
