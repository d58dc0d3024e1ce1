/**
 * The README's list of error codes, generated from the table in engine/errorCodes.ts: one row per
 * code with its area, its exit code and its meaning, between two markers. scripts/write-error-codes.ts
 * writes it into the README; test/errors/errorCodes.test.ts fails when the README's differs.
 */

import { ERROR_CODES, type ErrorCodeInfo } from "../../engine/errorCodes.js";

export const BEGIN_MARKER = "<!-- error-codes: generated from engine/errorCodes.ts by `npx tsx scripts/write-error-codes.ts`; edit the table, not this list -->";
export const END_MARKER = "<!-- /error-codes -->";

/** The section, markers included: a Markdown table of every code, in the table's order. */
export function errorCodesSection(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, info]: [string, ErrorCodeInfo]) => `| \`${code}\` | ${info.area} | ${exitText(info)} | ${cell(info.meaning)} |`);
  return [BEGIN_MARKER, "| code | area | exit | meaning |", "|---|---|---|---|", ...rows, END_MARKER].join("\n");
}

/** The section as it stands in `readme`, markers included; undefined when a marker is missing. */
export function errorCodesSectionOf(readme: string): string | undefined {
  const begin = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER, begin);
  return begin < 0 || end < 0 ? undefined : readme.slice(begin, end + END_MARKER.length);
}

/** `readme` with its section replaced by the generated one; throws when a marker is missing. */
export function withErrorCodesSection(readme: string): string {
  const current = errorCodesSectionOf(readme);
  if (current === undefined) throw new Error(`README.md has no error-code section: put the two markers where it goes:\n${BEGIN_MARKER}\n${END_MARKER}`);
  return readme.replace(current, () => errorCodesSection());
}

function exitText(info: ErrorCodeInfo): string {
  return info.threadExit === undefined ? String(info.exit) : `${info.exit} (${info.threadExit} from a worker thread)`;
}

/** Text for a Markdown table cell: a `|` would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
