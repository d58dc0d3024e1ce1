/**
 * Entries of a step's `after`: `ID` takes the items of step ID, `ID:OUTPUT` another of its outputs
 * (`count:late`: the items that came too late for window step "count"). Step ids never hold ":".
 */

/** The parts of an `after` entry. */
export interface AfterRef {
  readonly id: string;
  /** The output named after ":", or undefined for the step's items. */
  readonly output: string | undefined;
}

/**
 * Splits an `after` entry at its first ":".
 *
 * @example
 * parseAfterRef("count:late"); // { id: "count", output: "late" }
 * parseAfterRef("pairs");      // { id: "pairs", output: undefined }
 */
export function parseAfterRef(ref: string): AfterRef {
  const colon = ref.indexOf(":");
  return colon < 0 ? { id: ref, output: undefined } : { id: ref.slice(0, colon), output: ref.slice(colon + 1) };
}

/**
 * The `after` entry for a step's output.
 *
 * @example
 * afterRefText("count", "late"); // "count:late"
 */
export function afterRefText(id: string, output: string | undefined): string {
  return output === undefined || output === "main" ? id : `${id}:${output}`;
}
