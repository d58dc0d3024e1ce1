/**
 * Secrets never print: a value read from `$env` is replaced by `$env NAME` in everything the runner
 * writes to standard error (its own messages, error reports, messages and logs from the worker
 * threads, Node's warnings). Values shorter than `MIN_REDACTED_LENGTH` characters are left alone:
 * replacing "1" or "on" everywhere would garble every message and hide nothing worth hiding.
 */

/** Values of fewer characters are not redacted. */
export const MIN_REDACTED_LENGTH = 4;

export type Redactor = (text: string) => string;

/**
 * A function that replaces every value of `env` named in `names` (and, for a comma-separated
 * value such as a broker list, each of its parts) by `$env NAME`; the longest values first.
 */
export function redactorFor(names: readonly string[], env: Readonly<Record<string, string | undefined>>): Redactor {
  const pairs: Array<[value: string, name: string]> = [];
  for (const name of names) {
    const value = env[name];
    if (value === undefined) continue;
    for (const part of [value, ...value.split(",").map((piece) => piece.trim())]) {
      if (part.length >= MIN_REDACTED_LENGTH) pairs.push([part, name]);
    }
  }
  if (pairs.length === 0) return (text) => text;
  pairs.sort((a, b) => b[0].length - a[0].length);
  const byValue = new Map(pairs);
  const pattern = new RegExp([...byValue.keys()].map(escapeRegExp).join("|"), "g");
  return (text) => text.replace(pattern, (value) => `$env ${byValue.get(value)!}`);
}

/**
 * Routes every write to this process's standard error through `redact`, from now on. One place
 * for all of it, so that no message can miss it (the worker threads' writes arrive here too).
 */
export function redactStandardError(redact: Redactor): void {
  const stream = process.stderr;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === "string") return write(redact(chunk), ...rest);
    if (chunk instanceof Uint8Array) return write(redact(Buffer.from(chunk).toString("utf8")), ...rest);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
