/**
 * A file system error as connectors word it: Node's message without the paths it quotes
 * ("ENOTDIR: not a directory, mkdir"). The connector's own message names the file, from the flow's
 * reference (`file $env NAME` for a path read from the environment): a path the error quotes may be
 * a parent directory of a secret path, which redacting the secret's whole value would not catch.
 */

/** `error`'s message without the paths (`path`, `dest`) it quotes. */
export function fsErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { path, dest } = error as NodeJS.ErrnoException & { dest?: unknown };
  let message = error.message;
  for (const quoted of [dest, path]) {
    if (typeof quoted === "string" && quoted !== "") message = message.split(` -> '${quoted}'`).join("").split(` '${quoted}'`).join("").split(quoted).join("(the path)");
  }
  return message;
}
