/**
 * What the engine requires of a user function's return value, in the words its errors use
 * ("return value of `predicate` in filter operator must be a boolean"). The runner's errors and the
 * step help (engine/flow/stepHelp.ts) both read these, so the help says what an error would say.
 *
 * @example
 * `return value of \`predicate\` in filter operator ${RETURN_RULES.boolean}`; // "... must be a boolean"
 */
export const RETURN_RULES = {
  /** filter's predicate, reduce's isComplete. */
  boolean: "must be a boolean",
  /** flat_map's mapper. */
  iterable: "must be iterable",
  /** stateful_map's mapper. */
  statePair: "must be a 2-element array of `[updatedState, updatedValue]`",
  /** An event clock's function. */
  time: "must be a Date or epoch milliseconds",
} as const;

