/**
 * The `$env` names a flow definition refers to, wherever they are: what the runner must keep out of
 * its messages (their values are secrets: passwords in Kafka properties, private paths).
 */

/** Every name of a `{ "$env": NAME }` object in `json`, once each, in document order. */
export function envReferences(json: unknown): string[] {
  const names = new Set<string>();
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) stack.push(value[index]);
      continue;
    }
    const env = (value as Record<string, unknown>)["$env"];
    if (typeof env === "string") names.add(env);
    stack.push(...Object.values(value).reverse());
  }
  return [...names];
}
