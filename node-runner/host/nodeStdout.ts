/** Standard output for Node hosts: one write per batch, waiting for 'drain' when the pipe is full. */

export function writeNodeStdout(text: string): void | Promise<void> {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}
